import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChangePasswordForm } from './ChangePasswordForm';

function setup(busy = false) {
  const onSubmit = jest.fn<(current: string, password: string) => void>();
  const onCancel = jest.fn<() => void>();
  const view = render(<ChangePasswordForm busy={busy} onSubmit={onSubmit} onCancel={onCancel} />);
  return { onSubmit, onCancel, user: userEvent.setup(), form: screen.getByRole('form', { name: 'Change password' }), rerender: view.rerender };
}

describe(ChangePasswordForm.name, () => {
  it('asks for the current password and a new one, for the browser to fill, saying what happens to other sign-ins', () => {
    setup();
    expect(screen.getByLabelText('Current password')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText('Current password')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('New password')).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByText('At least 8 characters. Every other sign-in of your account will end.')).toBeVisible();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByLabelText('Current password')).not.toHaveAttribute('aria-invalid');
  });

  it('says what is missing once a field is left, and sends nothing until both are right', async () => {
    const { onSubmit, user } = setup();
    await user.click(screen.getByLabelText('Current password'));
    await user.tab();
    expect(screen.getByText('Enter your current password')).toBeVisible();
    expect(screen.queryByText('Enter a new password')).toBeNull();
    await user.type(screen.getByLabelText('New password'), 'short');
    await user.tab();
    expect(screen.getByText('Use at least 8 characters')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('Current password'), 'old-secret');
    expect(screen.queryByText('Enter your current password')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('New password'), '-and-longer');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(onSubmit).toHaveBeenCalledWith('old-secret', 'short-and-longer');
  });

  it('sending an empty form shows both errors at once', async () => {
    const { onSubmit, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Enter your current password')).toBeVisible();
    expect(screen.getByText('Enter a new password')).toBeVisible();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('while busy, takes nothing and says it is changing; Cancel calls back otherwise', async () => {
    const { onSubmit, onCancel, user, form, rerender } = setup();
    await user.type(screen.getByLabelText('Current password'), 'old-secret');
    await user.type(screen.getByLabelText('New password'), 'a-new-long-one');
    rerender(<ChangePasswordForm busy onSubmit={onSubmit} onCancel={onCancel} />);
    expect(screen.getByRole('button', { name: 'Changing…' })).toBeDisabled();
    expect(screen.getByLabelText('Current password')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect(form).toHaveAttribute('aria-busy', 'true');
    fireEvent.submit(form);
    expect(onSubmit).not.toHaveBeenCalled();
    rerender(<ChangePasswordForm busy={false} onSubmit={onSubmit} onCancel={onCancel} />);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});
