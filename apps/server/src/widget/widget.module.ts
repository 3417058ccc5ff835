import { Module } from '@nestjs/common';
import { defaultWidgetPath, WidgetResource } from './widget.resource.js';

@Module({
  providers: [{ provide: WidgetResource, useFactory: () => new WidgetResource(defaultWidgetPath()) }],
  exports: [WidgetResource],
})
export class WidgetModule {}
