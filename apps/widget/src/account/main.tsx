/** Entry of the account page (/account); built into dist/account.html. */
import { createRoot } from 'react-dom/client';
import { pageMemory } from '../hosted/page-memory';
import { AccountApp } from './AccountApp';
import { accountApi } from './account-api';
import '../styles.css';

createRoot(document.getElementById('root')!).render(
  <AccountApp api={accountApi()} apiBase={window.location.origin} navigate={(url) => window.location.assign(url)} memory={pageMemory('target:account')} />,
);
