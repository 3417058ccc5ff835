import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { defaultHostedPagePath, HostedPage } from './hosted-page.js';
import { defaultWidgetPath, WidgetResource } from './widget.resource.js';

/** The widget package's built files: the widget (an MCP resource) and the hosted sign-in page (the linking page, the passkey page). */
@Module({
  providers: [
    {
      provide: WidgetResource,
      inject: [AppConfig],
      // The widget asks the host to open this server's start links (upstream providers, passkeys).
      useFactory: (config: AppConfig) => new WidgetResource(defaultWidgetPath(), config.publicUrl),
    },
    { provide: HostedPage, useFactory: () => new HostedPage(defaultHostedPagePath()) },
  ],
  exports: [WidgetResource, HostedPage],
})
export class WidgetModule {}
