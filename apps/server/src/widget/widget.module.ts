import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { defaultWidgetPath, WidgetResource } from './widget.resource.js';

@Module({
  providers: [
    {
      provide: WidgetResource,
      inject: [AppConfig],
      // With upstream providers, the widget asks the host to open this server's start links.
      useFactory: (config: AppConfig) => new WidgetResource(defaultWidgetPath(), config.upstream.providers.length > 0 || config.demo.enabled ? config.publicUrl : undefined),
    },
  ],
  exports: [WidgetResource],
})
export class WidgetModule {}
