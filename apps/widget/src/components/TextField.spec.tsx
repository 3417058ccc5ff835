import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { TextField } from './TextField';

const base = { id: 'f', label: 'Email', type: 'email' as const, autoComplete: 'email', value: '', disabled: false, onChange: jest.fn(), onBlur: jest.fn() };

describe(TextField.name, () => {
  it('describes the field by its hint, then its error, by id', () => {
    render(<TextField {...base} hint="We never share it." error="Enter your email" />);
    const field = screen.getByLabelText('Email');
    expect(field).toHaveAttribute('aria-describedby', 'f-hint f-error');
    expect(field).toHaveAccessibleDescription('We never share it. Enter your email');
    expect(field).toHaveAttribute('aria-invalid', 'true');
  });

  it('has no description or hint when it has neither', () => {
    const { container } = render(<TextField {...base} />);
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-describedby');
    expect(container.querySelectorAll('p')).toHaveLength(0);
  });

  it('describes by the error alone, or the hint alone', () => {
    const { rerender } = render(<TextField {...base} error="Enter your email" />);
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-describedby', 'f-error');
    rerender(<TextField {...base} hint="We never share it." />);
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-describedby', 'f-hint');
    expect(screen.getByText('We never share it.')).toHaveAttribute('id', 'f-hint');
  });
});
