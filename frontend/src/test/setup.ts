import '@testing-library/jest-dom/vitest';
import '../i18n';

import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

import i18n, { DEFAULT_LANGUAGE } from '../i18n';

// antd forms validate asynchronously; on a busy 2-core machine a second is not always enough.
configure({ asyncUtilTimeout: 8_000 });

// Browsers resolve '/api/v1/...' against the page; Node's Request needs an absolute URL.
const NodeRequest = globalThis.Request;
class PageRequest extends NodeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' && input.startsWith('/') ? new URL(input, window.location.origin) : input, init);
  }
}
globalThis.Request = PageRequest;

// antd's responsive components ask for these, which jsdom does not implement.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  }),
});
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;
// jsdom does not do layout; antd only reads it for pseudo-elements, which jsdom rejects loudly.
const getComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => getComputedStyle(element);

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.cookie.split(';').forEach((part) => {
    const name = part.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  });
  window.localStorage.clear();
  await i18n.changeLanguage(DEFAULT_LANGUAGE);
});
