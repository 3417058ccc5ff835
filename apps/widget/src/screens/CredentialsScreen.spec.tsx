import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CredentialsScreen } from './CredentialsScreen';

function setup(props: Partial<Parameters<typeof CredentialsScreen>[0]> = {}) {
  const onSubmit = jest.fn<(email: string, password: string) => void>();
  const onForgot = jest.fn<() => void>();
  const view = render(<CredentialsScreen submitting={false} onSubmit={onSubmit} onForgot={onForgot} {...props} />);
  return { onSubmit, onForgot, user: userEvent.setup(), view };
}

describe(CredentialsScreen.name, () => {
  it('has labelled fields with the right autocomplete', () => {
    setup();
    expect(screen.getByLabelText('Email address')).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
  });

  it('validates inline and does not submit bad input', async () => {
    const { onSubmit, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    expect(screen.getByText('Enter your email address')).toBeVisible();
    expect(screen.getByText('Enter your password')).toBeVisible();
    await user.type(screen.getByLabelText('Email address'), 'not-an-email');
    expect(screen.getByText('Enter a valid email address')).toBeVisible();
    expect(screen.getByLabelText('Email address')).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits the trimmed email and the password', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Email address'), ' lauren@example.com ');
    await user.type(screen.getByLabelText('Password'), 'hunter2');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    expect(onSubmit).toHaveBeenCalledWith('lauren@example.com', 'hunter2');
  });

  it('shows progress and cannot double-submit', async () => {
    const { onSubmit, user } = setup({ submitting: true });
    const button = screen.getByRole('button', { name: /Signing in/ });
    expect(button).toBeDisabled();
    await user.click(button);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the server message', () => {
    setup({ error: 'Email or password is incorrect.' });
    expect(screen.getByRole('alert')).toHaveTextContent('Email or password is incorrect.');
  });
});
