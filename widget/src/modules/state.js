/**
 * @file The widget's mutable state and its DOM elements, shared by every module. layout.js
 * fills `dom` when it builds the widget.
 */

import { parseJson, readStorage } from './config.js';
import { STORAGE_KEYS } from './constants.js';

export const state = {
  socket: null,
  connecting: false,
  ioPromise: null,
  everConfirmed: false,
  sessionReady: false,
  connectionLost: false,
  connectErrorShown: false,
  outbox: [],
  sessionToken: readStorage(STORAGE_KEYS.token),
  handoffState: 'bot',
  agent: parseJson(readStorage(STORAGE_KEYS.agent)),
  seenIds: new Set(),
  pendingOwnTexts: [],
  transcript: [],
  unread: 0,
  open: false,
  modal: false,
  inertElements: [],
  typingTimer: null,
  counterTimer: null,
  restoreTimer: null,
  restoreOpenPending: false,
  logPinned: true,
  replyAnchor: null,
  /** Sender kind of the reply anchor: 'bot', 'agent' or 'system'. */
  replyAnchorKind: null,
  messageCount: 0,
};

export const dom = {};
