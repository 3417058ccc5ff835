/** Entry of the hosted sign-in page (/interaction/{uid}); built into dist/hosted.html. */
import { createRoot } from 'react-dom/client';
import { HostedApp } from './HostedApp';
import { pageMemory } from './page-memory';
import { interactionApi } from './interaction-api';
import '../styles.css';

const base = window.location.pathname.replace(/\/+$/, '');
createRoot(document.getElementById('root')!).render(
  <HostedApp api={interactionApi(base)} apiBase={window.location.origin} navigate={(url) => window.location.assign(url)} memory={pageMemory(`target:${base}`)} />,
);
