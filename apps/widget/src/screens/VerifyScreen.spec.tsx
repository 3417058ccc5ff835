import { describe, expect, it, jest } from '@jest/globals';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VerifyScreen, type VerifyScreenProps } from './VerifyScreen';

const boxes = () => screen.getAllByRole('textbox');
const values = () => boxes().map((box) => (box as HTMLInputElement).value).join('');

function setup(props: Partial<VerifyScreenProps> = {}) {
  const onSubmit = jest.fn<(code: string) => void>();
  const all: VerifyScreenProps = { submitting: false, onSubmit, ...props };
  const view = render(<VerifyScreen {...all} />);
  const rerender = (next: Partial<VerifyScreenProps>) => act(async () => view.rerender(<VerifyScreen {...all} {...next} />));
  return { onSubmit, user: userEvent.setup(), rerender };
}

describe(VerifyScreen.name, () => {
  it('has six labelled boxes, the first with one-time-code autocomplete', () => {
    setup();
    expect(boxes()).toHaveLength(6);
    expect(boxes()[0]).toHaveAttribute('autocomplete', 'one-time-code');
    expect(screen.getByLabelText('Digit 6 of 6')).toBeInTheDocument();
    expect(boxes()[0]).toHaveFocus();
  });

  it('advances as you type and submits on the sixth digit', async () => {
    const { onSubmit, user } = setup();
    await user.keyboard('12345');
    expect(boxes()[5]).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.keyboard('6');
    expect(onSubmit).toHaveBeenCalledWith('123456');
  });

  it('takes only digits', async () => {
    const { user } = setup();
    await user.keyboard('a1-b2 ');
    expect(values()).toBe('12');
  });

  it('goes back on Backspace in an empty box and moves with the arrows', async () => {
    const { user } = setup();
    await user.keyboard('12');
    expect(boxes()[2]).toHaveFocus();
    await user.keyboard('{Backspace}');
    expect(boxes()[1]).toHaveFocus();
    expect(values()).toBe('1');
    await user.keyboard('{ArrowLeft}');
    expect(boxes()[0]).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(boxes()[2]).toHaveFocus();
  });

  it.each(['123456', '123 456', '12-34-56'])('fills all six from a paste of "%s" into any box', async (pasted) => {
    const { onSubmit, user } = setup();
    await user.click(boxes()[3]!);
    await user.paste(pasted);
    expect(values()).toBe('123456');
    expect(onSubmit).toHaveBeenCalledWith('123456');
  });

  it('clears the boxes, says attempts left and focuses the first box after a wrong code', async () => {
    const { user, rerender } = setup();
    await user.keyboard('111111');
    await rerender({ error: 'That code is not right. 4 attempts left.', attemptsLeft: 4 });
    expect(values()).toBe('');
    expect(boxes()[0]).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('4 attempts left');
  });

  it('offers a retry of the same code after a network failure', async () => {
    const { onSubmit, user, rerender } = setup();
    await user.keyboard('654321');
    await rerender({ error: "Couldn't reach Target.", retryable: true });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onSubmit).toHaveBeenLastCalledWith('654321');
  });

  it('offers no retry of a code the server refused', async () => {
    const { user, rerender } = setup();
    await user.keyboard('654321');
    await rerender({ error: 'This code has expired. Send a new one.', retryable: false, round: 1 });
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(values()).toBe('');
  });

  it('says where the code went: a masked address, or the authenticator app', async () => {
    const { rerender } = setup({ delivery: { method: 'email', sentTo: 'l•••@example.com' } });
    expect(screen.getByText('Enter the 6-digit code we sent to l•••@example.com.')).toBeVisible();
    await rerender({ delivery: { method: 'totp' }, onResend: () => undefined });
    expect(screen.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
    expect(screen.queryByRole('button', { name: /new code/ })).toBeNull();
    await rerender({ purpose: 'reset' });
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  });

  it('counts down before a new code may be asked for, then asks once', async () => {
    let now = 1_000_000;
    const onResend = jest.fn<() => void>();
    jest.useFakeTimers({ now });
    try {
      setup({ onResend, resendAt: now + 3000, now: () => now, delivery: { method: 'email', sentTo: 'l•••@example.com' } });
      expect(screen.getByRole('button', { name: 'Send a new code in 3 s' })).toBeDisabled();
      now += 3000;
      act(() => void jest.advanceTimersByTime(3000));
      const button = screen.getByRole('button', { name: 'Send a new code' });
      expect(button).toBeEnabled();
      act(() => button.click());
      expect(onResend).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
