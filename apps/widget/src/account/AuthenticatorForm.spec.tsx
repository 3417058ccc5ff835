import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuthenticatorSetup } from '@target-auth/shared/account';
import { AuthenticatorForm } from './AuthenticatorForm';

const SETUP: AuthenticatorSetup = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Target:x', qr: 'data:image/svg+xml;base64,PHN2Zy8+' };

function setup(props: { setup?: AuthenticatorSetup; busy?: boolean } = {}) {
  const onSubmit = jest.fn<(code: string) => void>();
  const onCancel = jest.fn<() => void>();
  const view = render(<AuthenticatorForm {...props} busy={props.busy ?? false} onSubmit={onSubmit} onCancel={onCancel} />);
  return { onSubmit, onCancel, user: userEvent.setup(), view };
}

describe(AuthenticatorForm.name, () => {
  it('setting up: the QR code, the key in groups of four to type by hand, and the code field an app or keychain can fill', () => {
    setup({ setup: SETUP });
    const form = screen.getByRole('form', { name: 'Set up an authenticator app' });
    expect(screen.getByRole('img', { name: 'QR code for your authenticator app' })).toHaveAttribute('src', SETUP.qr);
    expect(form.querySelector('code.secret')).toHaveTextContent(/^JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP$/);
    const field = screen.getByLabelText('Code from your app');
    expect(field).toHaveAttribute('inputmode', 'numeric');
    expect(field).toHaveAttribute('autocomplete', 'one-time-code');
    expect(field).toHaveAttribute('maxlength', '6');
    expect(field).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('button', { name: 'Turn on' })).toBeEnabled();
  });

  it('takes digits only, says a short code is short once the field is left, and sends six digits', async () => {
    const { onSubmit, user } = setup({ setup: SETUP });
    const field = screen.getByLabelText('Code from your app');
    await user.type(field, '12a3');
    expect(field).toHaveValue('123');
    expect(screen.queryByText('Enter the 6-digit code your app shows')).toBeNull();
    await user.tab();
    const error = screen.getByText('Enter the 6-digit code your app shows');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAttribute('aria-describedby', error.id);
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(field, '4567');
    expect(field).toHaveValue('123456');
    expect(screen.queryByText('Enter the 6-digit code your app shows')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(onSubmit).toHaveBeenCalledWith('123456');
  });

  it('removing: says what sign-ins ask for next, and asks for a code from the app', async () => {
    const { onSubmit, user } = setup();
    expect(screen.getByRole('form', { name: 'Remove the authenticator app' })).toBeVisible();
    expect(screen.getByText('Sign-ins will ask for a code mailed to you instead. Every other sign-in of your account ends.')).toBeVisible();
    expect(screen.queryByRole('img')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove authenticator app' }));
    expect(screen.getByText('Enter the 6-digit code your app shows')).toBeVisible();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('while busy, takes nothing and says what it is doing; Cancel calls back otherwise', async () => {
    const { onSubmit, onCancel, user, view } = setup({ setup: SETUP });
    await user.type(screen.getByLabelText('Code from your app'), '123456');
    view.rerender(<AuthenticatorForm setup={SETUP} busy onSubmit={onSubmit} onCancel={onCancel} />);
    expect(screen.getByRole('button', { name: 'Turning on…' })).toBeDisabled();
    expect(screen.getByLabelText('Code from your app')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    fireEvent.submit(screen.getByRole('form', { name: 'Set up an authenticator app' }));
    expect(onSubmit).not.toHaveBeenCalled();
    view.rerender(<AuthenticatorForm busy onSubmit={onSubmit} onCancel={onCancel} />);
    expect(screen.getByRole('button', { name: 'Removing…' })).toBeDisabled();
    view.rerender(<AuthenticatorForm busy={false} onSubmit={onSubmit} onCancel={onCancel} />);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});
