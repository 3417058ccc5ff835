import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NewPasswordScreen, validateNewPassword } from './NewPasswordScreen';

function setup(submitting = false) {
  const onSubmit = jest.fn<(password: string) => void>();
  render(<NewPasswordScreen submitting={submitting} onSubmit={onSubmit} />);
  return { onSubmit, user: userEvent.setup(), field: screen.getByLabelText('New password') };
}

describe(validateNewPassword.name, () => {
  it('takes 8 to 128 characters, counting characters rather than UTF-16 units', () => {
    expect(validateNewPassword('')).toBe('Enter a new password');
    expect(validateNewPassword('1234567')).toBe('Use at least 8 characters');
    expect(validateNewPassword('😀'.repeat(7))).toBe('Use at least 8 characters');
    expect(validateNewPassword('12345678')).toBeUndefined();
    expect(validateNewPassword('x'.repeat(128))).toBeUndefined();
    expect(validateNewPassword('x'.repeat(129))).toBe('Use at most 128 characters');
  });
});

describe(NewPasswordScreen.name, () => {
  it('starts empty and quiet, with the rule as a hint tied to the field', () => {
    const { field } = setup();
    expect(field).toHaveValue('');
    expect(field).toHaveAttribute('autocomplete', 'new-password');
    expect(field).not.toHaveAttribute('aria-invalid');
    expect(field).toHaveAccessibleDescription('At least 8 characters. A few unrelated words work well.');
  });

  it('says what is wrong once the field is left, and submits nothing until it is right', async () => {
    const { onSubmit, user, field } = setup();
    await user.click(field);
    await user.tab();
    expect(screen.getByText('Enter a new password')).toBeVisible();
    await user.type(field, 'short');
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    expect(screen.getByText('Use at least 8 characters')).toBeVisible();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(field, '-and-long-now');
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    expect(onSubmit).toHaveBeenCalledWith('short-and-long-now');
  });

  it('shows the error on submit even if the field was never left', async () => {
    const { onSubmit, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    expect(screen.getByText('Enter a new password')).toBeVisible();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits nothing while saving', () => {
    const { onSubmit, field } = setup(true);
    expect(field).toBeDisabled();
    fireEvent.submit(screen.getByRole('button', { name: /Saving/ }).closest('form')!);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
