/**
 * Entry of the hosted pages, built into dist/hosted.html: the sign-in page of
 * account linking (/interaction/{uid}), and a chat's passkey page
 * (/auth/passkey), which the server serves from the same file.
 */
import { createRoot } from 'react-dom/client';
import { PASSKEY_PAGE_PATH } from '@target-auth/shared/linking';
import { HostedApp } from './HostedApp';
import { PasskeyPageApp } from './PasskeyPageApp';
import { passkeyPageApi } from './passkey-page-api';
import { pageMemory } from './page-memory';
import { interactionApi } from './interaction-api';
import '../styles.css';

const base = window.location.pathname.replace(/\/+$/, '');
createRoot(document.getElementById('root')!).render(
  base === PASSKEY_PAGE_PATH ? (
    <PasskeyPageApp api={passkeyPageApi()} />
  ) : (
    <HostedApp api={interactionApi(base)} apiBase={window.location.origin} navigate={(url) => window.location.assign(url)} memory={pageMemory(`target:${base}`)} />
  ),
);
