import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { ConsentScreen } from './ConsentScreen';

const props = {
  prompt: 'consent' as const,
  client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' },
  account: { name: 'Lauren Bailey', email: 'lauren@example.com' },
  onAllow: jest.fn(),
  onDeny: jest.fn(),
};

describe(ConsentScreen.name, () => {
  it('names the client, the account and what is shared; both answers available', () => {
    render(<ConsentScreen {...props} busy={null} />);
    expect(screen.getByRole('heading')).toHaveTextContent('ChatGPT wants to see your Target account');
    expect(screen.getByText('chatgpt.com')).toBeVisible();
    expect(screen.getByText('chatgpt.com').closest('p')).toHaveTextContent("You'll return to chatgpt.com, which gets access to your account if you allow it.");
    expect(screen.queryByRole('note')).toBeNull();
    const allow = screen.getByRole('button', { name: 'Allow' });
    expect(allow).toBeEnabled();
    expect(allow).toHaveFocus();
    expect(allow.querySelector('.spinner')).toBeNull();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  });

  it('says an app that only named itself is unverified, and where the code really goes', () => {
    render(<ConsentScreen {...props} client={{ name: 'ChatGPT', verified: false, redirectHost: 'evil.example' }} busy={null} />);
    expect(screen.getByRole('note')).toHaveTextContent('Unverified app: “ChatGPT” is the name it gave itself.');
    expect(screen.getByText('evil.example').closest('p')).toHaveTextContent("You'll return to evil.example, which gets access");
  });

  it('while allowing, says so and takes no second answer', () => {
    render(<ConsentScreen {...props} busy="allow" />);
    const allow = screen.getByRole('button', { name: 'Connecting…' });
    expect(allow).toBeDisabled();
    expect(allow.querySelector('.spinner')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });

  it('while cancelling, takes no answer either, and keeps saying Allow', () => {
    render(<ConsentScreen {...props} busy="deny" />);
    expect(screen.getByRole('button', { name: 'Allow' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });
});
