/**
 * @file Limits, storage keys and patterns shared by the widget's modules.
 */

// The gateway's limits (config/gateway.yml resident.max_message_chars, gateway/feedback.py).
export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_COMMENT_LENGTH = 1000;
export const MAX_NAME_LENGTH = 100;
export const COUNTER_ANNOUNCE_FROM = 200;
export const DEFAULT_PRIMARY_COLOUR = '#005a70';
export const MIN_TEXT_CONTRAST = 4.5;
export const HUMAN_PAYLOAD = '/request_human';
export const HUMAN_TITLE = 'Talk to a person';
export const SAFE_PROTOCOLS = ['https:', 'mailto:', 'tel:'];
export const STORAGE_KEYS = {
  token: 'councilAssistant.sessionToken',
  open: 'councilAssistant.open',
  agent: 'councilAssistant.agent',
};
export const RESIDENT_SENDERS = ['user', 'resident', 'visitor', 'customer'];
export const TYPING_TIMEOUT_MS = 20000;
// The same UK phone rule as gateway/validation.py, so residents see the error before sending.
export const UK_PHONE_PATTERN = /^0(?:1\d{8,9}|2\d{9}|3\d{9}|7[1-9]\d{8}|80\d{7,8}|84\d{8})$/;
export const EMAIL_PATTERN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
export const RESTORE_OPEN_DELAY_MS = 300;
export const RESTORE_OPEN_TIMEOUT_MS = 3000;
// Viewports this small get a full-screen modal dialog. widget.css uses the same breakpoints.
export const FULL_SCREEN_QUERY = '(max-width: 40em), (max-height: 32em)';
