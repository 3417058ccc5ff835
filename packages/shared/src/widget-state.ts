/**
 * What the widget hands its host: the state it stores with ChatGPT
 * (`setWidgetState`) and the theme hosts send. The widget's own screens are
 * its business (apps/widget/src/state/widget-screen.ts).
 */

/**
 * What the widget stores with ChatGPT after success. Only `modelContent` reaches
 * the model. Never a password, code or token.
 */
export interface AuthWidgetState {
  modelContent: { authenticated: true; name: string };
  privateContent: { email: string };
}

export type Theme = 'light' | 'dark';
