import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module.js';
import { SessionApiController } from './session-api.controller.js';

@Module({ imports: [SessionModule], controllers: [SessionApiController] })
export class ApiModule {}
