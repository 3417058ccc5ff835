import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProfileScreen } from './ProfileScreen';

const profiles = [
  { id: 'p1', name: '  alex' },
  { id: 'p2', name: 'Sam' },
];

describe(ProfileScreen.name, () => {
  it('offers each profile with its initial, and reports the one chosen', async () => {
    const onChoose = jest.fn<(id: string) => void>();
    render(<ProfileScreen profiles={profiles} submitting={false} onChoose={onChoose} />);
    const alex = screen.getByRole('button', { name: /alex/ });
    expect(alex.querySelector('.avatar')).toHaveTextContent(/^A$/);
    expect(screen.queryByRole('status')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: /Sam/ }));
    expect(onChoose).toHaveBeenCalledWith('p2');
  });

  it('says it is signing in and takes no second choice meanwhile', () => {
    render(<ProfileScreen profiles={profiles} submitting onChoose={jest.fn()} />);
    expect(screen.getByRole('status')).toHaveTextContent('Signing in…');
    for (const button of screen.getAllByRole('button')) expect(button).toBeDisabled();
  });
});
