/**
 * Six single-digit boxes: typing advances, Backspace on an empty box goes back,
 * arrows move, only digits are taken, and pasting a whole code (even "123 456")
 * into any box fills all six. The sixth digit calls `onComplete`. To clear it,
 * give it a new `key`.
 */
import { type ClipboardEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { CODE_LENGTH } from '@target-auth/shared/tools';

export interface CodeInputProps {
  disabled: boolean;
  onComplete: (code: string) => void;
  describedBy?: string;
}

const empty = (): string[] => Array.from({ length: CODE_LENGTH }, () => '');

export function CodeInput({ disabled, onComplete, describedBy }: CodeInputProps) {
  const [digits, setDigits] = useState(empty);
  const boxes = useRef<(HTMLInputElement | null)[]>([]);

  useEffect(() => {
    boxes.current[0]?.focus();
  }, []);

  const focus = (index: number) => {
    const box = boxes.current[Math.max(0, Math.min(CODE_LENGTH - 1, index))];
    box?.focus();
    box?.select();
  };

  const fill = (start: number, incoming: string) => {
    const next = [...digits];
    let index = start;
    for (const digit of incoming) {
      if (index >= CODE_LENGTH) break;
      next[index++] = digit;
    }
    setDigits(next);
    focus(index);
    if (next.every((digit) => digit !== '')) onComplete(next.join(''));
  };

  const onChange = (index: number, value: string) => {
    const typed = value.replace(/\D/g, '');
    if (typed.length === 0) {
      const next = [...digits];
      next[index] = '';
      setDigits(next);
      return;
    }
    // One new digit replaces the box; a whole code (autofill) fills from the start.
    if (typed.length >= CODE_LENGTH) fill(0, typed.slice(-CODE_LENGTH));
    else fill(index, typed.length > 1 && digits[index] ? typed.replace(digits[index], '') : typed);
  };

  const onPaste = (index: number, event: ClipboardEvent<HTMLInputElement>) => {
    event.preventDefault();
    const pasted = event.clipboardData.getData('text').replace(/\D/g, '');
    if (pasted.length === 0) return;
    fill(pasted.length >= CODE_LENGTH ? 0 : index, pasted.slice(0, CODE_LENGTH));
  };

  const onKeyDown = (index: number, event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Backspace' && digits[index] === '' && index > 0) {
      event.preventDefault();
      const next = [...digits];
      next[index - 1] = '';
      setDigits(next);
      focus(index - 1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      focus(index - 1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      focus(index + 1);
    }
  };

  return (
    <div className="code-inputs" role="group" aria-label="Verification code" aria-describedby={describedBy}>
      {digits.map((digit, index) => (
        <input
          key={index}
          ref={(element) => {
            boxes.current[index] = element;
          }}
          className="code-box"
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete={index === 0 ? 'one-time-code' : 'off'}
          aria-label={`Digit ${index + 1} of ${CODE_LENGTH}`}
          value={digit}
          disabled={disabled}
          onChange={(event) => onChange(index, event.target.value)}
          onPaste={(event) => onPaste(index, event)}
          onKeyDown={(event) => onKeyDown(index, event)}
          onFocus={(event) => event.target.select()}
        />
      ))}
    </div>
  );
}
