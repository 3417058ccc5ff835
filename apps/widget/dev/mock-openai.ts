/**
 * A mocked `window.openai` that follows the real API (plain-string theme,
 * `openai:set_globals`, `callTool`, `setWidgetState`, `openExternal`), plus the harness panel:
 * theme (live, and kept in the address so it survives the reload a new
 * scenario or backend takes), starting scenario and backend.
 */
import { type OpenAiApi, type OpenAiCallToolResult, SET_GLOBALS_EVENT, type SetGlobalsDetail } from '@target-auth/shared/openai';
import { ToolName } from '@target-auth/shared/tools';
import { DEV_SESSION_ID, FakeBackend } from './fake-backend';
import { BACKENDS, readOptions, SCENARIOS } from './scenarios';
import { callServerTool } from './server-backend';

const options = readOptions(location.search);
const fake = new FakeBackend(options.scenario);
const log = (...items: unknown[]) => console.info('[dev harness]', ...items);

async function callTool(name: string, args: Record<string, unknown>): Promise<OpenAiCallToolResult> {
  log('callTool', name);
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (options.scenario === 'network-failure') throw new Error('Network failure (simulated)');
  return options.backend === 'server' ? callServerTool(options.serverUrl, name, args) : fake.call(name, args);
}

async function initialOutput(): Promise<{ sessionId: string; output: OpenAiCallToolResult }> {
  if (options.backend === 'fake') return { sessionId: DEV_SESSION_ID, output: fake.initialOutput() };
  const created = await callServerTool(options.serverUrl, ToolName.createSession, {});
  const sessionId = (created.structuredContent as { sessionId: string }).sessionId;
  return { sessionId, output: await callServerTool(options.serverUrl, ToolName.authenticate, { sessionId }) };
}

const openai: OpenAiApi = {
  theme: options.theme,
  toolInput: null,
  toolOutput: null,
  widgetState: null,
  locale: 'en-US',
  displayMode: 'inline',
  callTool,
  setWidgetState(state) {
    openai.widgetState = state;
    log('setWidgetState', state);
    document.getElementById('dev-widget-state')!.textContent = JSON.stringify(state);
  },
  openExternal({ href }) {
    log('openExternal', href);
    window.open(href, '_blank', 'noopener');
  },
};
window.openai = openai;

function setGlobals(globals: SetGlobalsDetail['globals']): void {
  Object.assign(openai, globals);
  window.dispatchEvent(new CustomEvent<SetGlobalsDetail>(SET_GLOBALS_EVENT, { detail: { globals } }));
}

// Like ChatGPT, the tool output may arrive after the widget first renders.
void initialOutput().then(
  ({ sessionId, output }) => setGlobals({ toolInput: { sessionId }, toolOutput: (output.structuredContent ?? null) as Record<string, unknown> | null }),
  (error: unknown) => {
    log('could not reach the server:', error);
    const status = document.getElementById('dev-status')!;
    status.textContent = `Cannot reach the server at ${options.serverUrl}. Start it (pnpm start) and reload.`;
    status.hidden = false;
  },
);

function select(name: string, values: readonly string[], current: string): string {
  const choices = values.map((value) => `<option${value === current ? ' selected' : ''}>${value}</option>`).join('');
  return `<label>${name} <select name="${name}">${choices}</select></label>`;
}

const panel = document.getElementById('dev-panel')!;
panel.innerHTML = `
  <style>
    #dev-panel { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 0 0 8px; box-sizing: border-box;
      font: 12px system-ui, sans-serif; background: rgba(255,255,255,0.9); color: #222; padding: 6px 8px; border-radius: 8px;
      width: 100%; max-width: 640px; }
    body { flex-direction: column; align-items: center; }
    #dev-status { flex-basis: 100%; color: #b00020; }
    #dev-panel .state { flex-basis: 100%; }
    #dev-panel code { white-space: pre-wrap; overflow-wrap: anywhere; }
  </style>
  ${select('theme', ['light', 'dark'], options.theme)}
  ${select('scenario', SCENARIOS, options.scenario)}
  ${select('backend', BACKENDS, options.backend)}
  <span class="state">widget state: <code id="dev-widget-state">none</code></span>
  <strong id="dev-status" role="alert" hidden></strong>`;
panel.addEventListener('change', (event) => {
  const target = event.target as HTMLSelectElement;
  const query = new URLSearchParams(location.search);
  query.set(target.name, target.value);
  if (target.name === 'theme') {
    setGlobals({ theme: target.value as OpenAiApi['theme'] });
    history.replaceState(null, '', `?${query}`);
    return;
  }
  location.search = query.toString();
});
