import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { ErrorScreen } from './ErrorScreen';
import { EndedScreen } from './EndedScreen';
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

describe(EndedScreen.name, () => {
  it('says the sign-in expired and to ask the assistant again', () => {
    render(<EndedScreen why="expired" message="Your session has expired. Please sign in again." />);
    expect(screen.getByRole('heading')).toHaveTextContent('Sign-in expired');
    expect(screen.getByRole('alert')).toHaveTextContent('Your session has expired. Please sign in again.');
    expect(screen.getByText(/Ask the assistant to sign you in/)).toBeVisible();
  });

  it('says the sign-in is locked, with no code boxes or buttons, and where to start again', () => {
    render(<EndedScreen why="locked" message="Too many wrong codes." restartHint="Go back to the app." />);
    expect(screen.getByRole('heading')).toHaveTextContent('Sign-in locked');
    expect(screen.getByRole('alert')).toHaveTextContent('Too many wrong codes.');
    expect(screen.getByText('Go back to the app.')).toBeVisible();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe(ErrorScreen.name, () => {
  it('offers a retry when it can', () => {
    render(<ErrorScreen message="The sign-in didn't load." onRetry={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled();
  });
});
