/**
 * Widget entry. No <StrictMode>: its double mount would start the host bridge
 * twice, and the MCP Apps transport breaks on that.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createBridge } from './bridge/create-bridge';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App bridge={createBridge()} />);
