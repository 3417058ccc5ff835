/** A household account: who is signing in. */
import type { ProfileChoice } from '@target-auth/shared/tools';
import { FormError } from '../components/FormParts';

export interface ProfileScreenProps {
  profiles: ProfileChoice[];
  submitting: boolean;
  error?: string;
  onChoose: (profileId: string) => void;
}

export function ProfileScreen({ profiles, submitting, error, onChoose }: ProfileScreenProps) {
  return (
    <section className="screen" aria-busy={submitting}>
      <h1>Who's signing in?</h1>
      <p className="lead">This account is shared. Choose your profile.</p>
      <ul className="profiles">
        {profiles.map((profile) => (
          <li key={profile.id}>
            <button type="button" className="profile" disabled={submitting} onClick={() => onChoose(profile.id)}>
              <span className="avatar" aria-hidden="true">
                {profile.name.trim().charAt(0).toUpperCase()}
              </span>
              {profile.name}
            </button>
          </li>
        ))}
      </ul>
      {submitting && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Signing in…
        </p>
      )}
      <FormError error={error} />
    </section>
  );
}
