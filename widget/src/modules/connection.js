/**
 * @file The socket.io connection and the session: loading the client, connecting, reconnecting,
 * and sending events once the session is confirmed.
 */

import { config, writeStorage } from './config.js';
import { RESTORE_OPEN_DELAY_MS, STORAGE_KEYS } from './constants.js';
import { createElement } from './elements.js';
import { updateHandoff } from './handoff.js';
import { updateTyping } from './log.js';
import { renderNote } from './messages.js';
import {
  handleFeedbackRequest,
  handleHandoffState,
  handleHistory,
  handleMessage,
  handleServerError,
  handleTyping,
  restoreOpen,
} from './server-events.js';
import { state } from './state.js';

/**
 * Loads the socket.io client from the vendor URL unless the page already has `io`.
 * @returns {Promise<Function>} the io function
 */
function loadSocketIo() {
  if (typeof window.io === 'function') {
    return Promise.resolve(window.io);
  }
  if (!state.ioPromise) {
    state.ioPromise = new Promise(function (resolve, reject) {
      const $vendor = createElement('script', { src: config.vendorUrl, async: true });
      $vendor.addEventListener('load', function () {
        if (typeof window.io === 'function') {
          resolve(window.io);
        } else {
          reject(new Error(config.vendorUrl + ' loaded but did not define io'));
        }
      });
      $vendor.addEventListener('error', function () {
        reject(new Error('failed to load ' + config.vendorUrl));
      });
      document.head.append($vendor);
    });
  }
  return state.ioPromise;
}

/**
 * Starts the socket.io connection. Later calls do nothing.
 */
export function ensureConnection() {
  if (state.socket || state.connecting) {
    return;
  }
  state.connecting = true;
  loadSocketIo().then(function (io) {
    const socket = io(config.serverUrl || undefined, {
      path: config.socketPath,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
    });
    state.socket = socket;
    socket.on('connect', handleConnect);
    socket.on('disconnect', handleDisconnect);
    socket.on('connect_error', handleConnectError);
    socket.on('session_confirm', handleSessionConfirm);
    socket.on('history', handleHistory);
    socket.on('message', handleMessage);
    socket.on('typing', handleTyping);
    socket.on('handoff_state', handleHandoffState);
    socket.on('feedback_request', handleFeedbackRequest);
    socket.on('error', handleServerError);
  }).catch(function (error) {
    state.connecting = false;
    state.ioPromise = null;
    console.error('Council assistant: ' + error.message);
    renderNote('The chat could not start.', { contactRoutes: true });
  });
}

/**
 * Sends an event once the session is confirmed. Before the first confirmation events wait in
 * an outbox, because the gateway may handle events out of order while the session starts.
 * @param {string} name event name
 * @param {object} data event data
 * @returns {boolean} false when the connection is lost and the event was not sent
 */
export function sendEvent(name, data) {
  if (state.socket && state.socket.connected && state.sessionReady) {
    state.socket.emit(name, data);
    return true;
  }
  if (state.connectionLost) {
    return false;
  }
  state.outbox.push([name, data]);
  ensureConnection();
  return true;
}

/**
 * Handles a new or restored connection by sending session_request with the stored token.
 */
function handleConnect() {
  state.sessionReady = false;
  state.socket.emit('session_request', { session_token: state.sessionToken || null });
}

/**
 * Handles a dropped connection. socket.io reconnects by itself, except after a server-side
 * disconnect, which this handler retries.
 * @param {string} reason socket.io's disconnect reason
 */
function handleDisconnect(reason) {
  state.sessionReady = false;
  updateTyping(false);
  if (reason === 'io client disconnect') {
    return;
  }
  if (!state.connectionLost) {
    state.connectionLost = true;
    renderNote('Connection lost. Reconnecting…');
  }
  if (reason === 'io server disconnect') {
    window.setTimeout(function () { state.socket.connect(); }, 1000);
  }
}

/**
 * Handles a failed connection attempt. The first failure before any session shows one note
 * with other ways to reach the council.
 * @param {Error} error
 */
function handleConnectError(error) {
  console.warn('Council assistant: connection failed: ' + (error && error.message));
  if (state.everConfirmed || state.connectErrorShown) {
    return;
  }
  state.connectErrorShown = true;
  renderNote('We cannot connect to the chat at the moment. Trying again…', { contactRoutes: true });
}

/**
 * Handles session_confirm: stores the token, sends waiting events and restores the state.
 * @param {{session_token: string, conversation_id: string, state: string}} data
 */
function handleSessionConfirm(data) {
  const token = data && data.session_token ? String(data.session_token) : null;
  if (state.sessionToken && token && token !== state.sessionToken) {
    renderNote('Your earlier chat has ended or expired, so this is a new chat.');
    writeStorage(STORAGE_KEYS.agent, null);
    state.agent = null;
  }
  state.sessionToken = token;
  writeStorage(STORAGE_KEYS.token, token);

  if (state.connectionLost) {
    state.connectionLost = false;
    renderNote('Connected again.');
  } else if (state.connectErrorShown && !state.everConfirmed) {
    renderNote('Connected.');
  }
  state.everConfirmed = true;
  state.sessionReady = true;

  updateHandoff(data || {});
  flushOutbox();
  if (state.restoreOpenPending) {
    // history, when there is one, follows session_confirm straight away.
    window.clearTimeout(state.restoreTimer);
    state.restoreTimer = window.setTimeout(restoreOpen, RESTORE_OPEN_DELAY_MS);
  }
}

/**
 * Sends the events that waited for the session.
 */
function flushOutbox() {
  const waiting = state.outbox;
  state.outbox = [];
  waiting.forEach(function ([name, data]) {
    state.socket.emit(name, data);
  });
}
