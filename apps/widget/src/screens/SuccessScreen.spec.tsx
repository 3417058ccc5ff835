import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { ErrorScreen } from './ErrorScreen';
import { ExpiredScreen } from './ExpiredScreen';
import { SuccessScreen } from './SuccessScreen';

describe(SuccessScreen.name, () => {
  it('welcomes the user by name', () => {
    render(<SuccessScreen name="Lauren Bailey" email="lauren@example.com" />);
    expect(screen.getByRole('heading')).toHaveTextContent('Welcome Back!');
    expect(screen.getByText('Authenticated as Lauren Bailey')).toBeVisible();
  });

  it('shows a hostile name literally', () => {
    const { container } = render(<SuccessScreen name="<img src=x onerror=alert(1)>" email="x@example.com" />);
    expect(screen.getByText('Authenticated as <img src=x onerror=alert(1)>')).toBeVisible();
    expect(container.querySelector('img')).toBeNull();
  });
});

describe(ExpiredScreen.name, () => {
  it('tells the user to ask the assistant again', () => {
    render(<ExpiredScreen message="Your session has expired. Please log in again." />);
    expect(screen.getByRole('alert')).toHaveTextContent('Your session has expired. Please log in again.');
    expect(screen.getByText(/Ask the assistant to sign you in/)).toBeVisible();
  });
});

describe(ErrorScreen.name, () => {
  it('offers a retry when it can', () => {
    render(<ErrorScreen message="The sign-in didn't load." onRetry={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled();
  });
});
