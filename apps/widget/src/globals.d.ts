import type { OpenAiApi } from '@target-auth/shared/openai';

declare global {
  interface Window {
    /** Present in ChatGPT (and the dev harness's mock) only. */
    openai?: OpenAiApi;
  }
}
