import type { AppConfig } from './config/app-config.js';
import { CALLBACK_PATH } from './config/upstream.js';

/** The short "what now" block: the endpoint, the Inspector, and ChatGPT's steps once there is an https address. */
export function nextSteps(config: AppConfig, port: number): string {
  // With PORT=0 the default public URL names port 0; the port actually bound is the one to use.
  const mcp = config.publicUrl.endsWith(':0') ? config.mcpUrl.replace(/:0\/mcp$/, `:${port}/mcp`) : config.mcpUrl;
  const lines = [
    'Next steps:',
    `  MCP endpoint: ${mcp}`,
    '  Try it in the MCP Inspector (needs Node 22.19+): npx -y @modelcontextprotocol/inspector@2.12.0',
    `    then choose "Streamable HTTP" and ${mcp}`,
  ];
  if (config.publicUrl.startsWith('https://')) {
    lines.push(
      '  ChatGPT: Settings → Apps & Connectors → Advanced → Developer mode, then Create connector',
      `    with the URL ${mcp} and no authentication; ask "Sign me in to my Target account".`,
    );
  } else {
    lines.push('  ChatGPT and Claude need an https address: put a tunnel in front and set PUBLIC_URL (see README).');
  }
  const providers = config.upstream.providers;
  if (providers.length > 0) {
    const base = mcp.slice(0, -'/mcp'.length);
    lines.push(`  Sign-in with ${providers.map((provider) => provider.name).join(', ')}: register these redirect URIs with the providers:`);
    for (const provider of providers) lines.push(`    ${base}${CALLBACK_PATH}/${provider.id}`);
  }
  return lines.join('\n');
}
