/**
 * @file Entry module of the chat widget. widget.js imports it and calls startWidget.
 */

import { loadConfig, readStorage } from './config.js';
import { ensureConnection } from './connection.js';
import { FULL_SCREEN_QUERY, RESTORE_OPEN_TIMEOUT_MS, STORAGE_KEYS } from './constants.js';
import { closeWidget, openWidget, updateModalMode } from './dialog.js';
import { loadStylesheet, renderWidget } from './layout.js';
import { restoreOpen } from './server-events.js';
import { dom, state } from './state.js';

/**
 * Builds the widget, then reconnects and reopens it when this tab already has a conversation.
 */
function start() {
  renderWidget();
  dom.$root.hidden = true;
  loadStylesheet().then(function () {
    dom.$root.hidden = false;
  });
  window.matchMedia(FULL_SCREEN_QUERY).addEventListener('change', updateModalMode);

  if (state.sessionToken) {
    ensureConnection();
  }
  if (readStorage(STORAGE_KEYS.open) === '1') {
    // Wait for the history, so it is on screen before the log becomes visible and screen
    // readers do not read the whole conversation out again as new messages.
    state.restoreOpenPending = true;
    state.restoreTimer = window.setTimeout(restoreOpen, state.sessionToken ? RESTORE_OPEN_TIMEOUT_MS : 0);
  }
}

/**
 * Reads the configuration, then builds the widget once the page is parsed. widget.js calls this
 * once, after it has imported this module.
 * @param {HTMLScriptElement|null} $tag the script tag that loaded widget.js
 * @returns {Promise<{open: function(): void, close: function(): void}>} resolves with the controls
 *   behind window.CouncilAssistant once the widget is on the page
 */
export function startWidget($tag) {
  loadConfig($tag);
  return new Promise(function (resolve) {
    /**
     * Builds the widget and hands its controls to widget.js.
     */
    function startAndResolve() {
      start();
      resolve({
        open: function () { openWidget(); },
        close: function () { closeWidget(); },
      });
    }

    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', startAndResolve);
    } else {
      startAndResolve();
    }
  });
}
