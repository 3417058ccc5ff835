import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { SERVER_INFO } from '../mcp/mcp-server.factory.js';

/** `GET /`: what this server is and where its MCP endpoint is; a small page for browsers, JSON otherwise. */
@Controller()
export class HomeController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  home(@Headers('accept') accept = '', @Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    const mcp = this.config.mcpUrl;
    const about = {
      name: SERVER_INFO.name,
      title: SERVER_INFO.title,
      version: SERVER_INFO.version,
      description: 'An MCP server that signs a person in to their Target account from inside ChatGPT and other MCP Apps hosts.',
      mcp,
      sse: `${this.config.publicUrl}/sse`,
      health: `${this.config.publicUrl}/healthz`,
      account: `${this.config.publicUrl}/account`,
    };
    if (!accept.includes('text/html')) {
      res.json(about);
      return;
    }
    res.type('html').send(page(about.title, about.description, mcp, about.account));
  }
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, description: string, mcp: string, account: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:.1rem .3rem;border-radius:4px}a{color:#1a5fb4}@media (prefers-color-scheme:dark){body{background:#16161d;color:#eee}code{background:#2a2a3e}a{color:#8ab4f8}}</style>
</head><body>
<h1>${escape(title)}</h1>
<p>${escape(description)}</p>
<p>This is an MCP server, not a web site. Add its MCP endpoint to an MCP client or host:</p>
<p><code>${escape(mcp)}</code></p>
<p>Your account, and the apps connected to it: <a href="${escape(account)}">${escape(account)}</a></p>
<p>Try it with the MCP Inspector: <code>npx -y @modelcontextprotocol/inspector@2.12.0</code> (Node 22.19 or newer), transport "Streamable HTTP".</p>
</body></html>
`;
}
