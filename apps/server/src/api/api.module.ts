import { Module } from '@nestjs/common';
import { HttpModule } from '../http/http.module.js';
import { SessionModule } from '../session/session.module.js';
import { SessionApiController } from './session-api.controller.js';

@Module({ imports: [HttpModule, SessionModule], controllers: [SessionApiController] })
export class ApiModule {}
