/**
 * @file Builds the launcher, the dialog (header, log, typing indicator, panel, composer and
 * footer) and loads the stylesheet.
 */

import { choosePrimaryColour, darken } from './colours.js';
import { handleComposerSubmit, handleInputChange, handleInputKeydown, updateCounter } from './composer.js';
import { config } from './config.js';
import { HUMAN_TITLE } from './constants.js';
import { handleCloseClick, handleDialogKeydown, handleLauncherClick } from './dialog.js';
import { createElement } from './elements.js';
import { handleHumanClick, updateHeaderStatus } from './handoff.js';
import { handleLogResize, handleLogScroll } from './log.js';
import { dom } from './state.js';
import { addToTranscript, handleDownloadClick, handlePrintClick } from './transcript.js';

/**
 * Adds the stylesheet unless the page already has it.
 * @returns {Promise<void>} settles when the stylesheet loads, fails or times out
 */
export function loadStylesheet() {
  if (config.stylesheetUrl === 'none' || document.querySelector('link[data-council-assistant-css]')) {
    return Promise.resolve();
  }
  return new Promise(function (resolve) {
    const $link = createElement('link', { rel: 'stylesheet', href: config.stylesheetUrl, 'data-council-assistant-css': true });
    $link.addEventListener('load', function () { resolve(); });
    $link.addEventListener('error', function () {
      console.error('Council assistant: failed to load the stylesheet ' + config.stylesheetUrl);
      resolve();
    });
    window.setTimeout(resolve, 3000);
    document.head.append($link);
  });
}

/**
 * Builds the launcher, the dialog and the helper regions, and adds them to the page.
 */
export function renderWidget() {
  const primary = choosePrimaryColour(config.primaryColour);
  const $root = createElement('div', { class: 'ca-root', 'data-council-assistant': true });
  $root.style.setProperty('--ca-primary', primary);
  $root.style.setProperty('--ca-primary-dark', darken(primary, 0.25));

  const launcherText = config.launcherText || 'Chat with ' + config.councilName;
  dom.$launcherBadge = createElement('span', { class: 'ca-launcher__badge', hidden: true });
  dom.$launcher = createElement('button', {
    type: 'button',
    class: 'ca-launcher',
    'aria-expanded': 'false',
    'aria-controls': 'ca-dialog',
  }, [
    createElement('span', { class: 'ca-launcher__icon', 'aria-hidden': 'true' }),
    createElement('span', { class: 'ca-launcher__text', text: launcherText }),
    dom.$launcherBadge,
  ]);
  dom.$launcher.addEventListener('click', handleLauncherClick);

  dom.$dialog = createElement('div', {
    id: 'ca-dialog',
    class: 'ca-dialog',
    role: 'dialog',
    'aria-modal': 'false',
    'aria-labelledby': 'ca-title',
    'aria-describedby': 'ca-intro',
    hidden: true,
  }, [
    renderHeader(),
    renderLog(),
    renderTyping(),
    createElement('div', { class: 'ca-panel', id: 'ca-panel', hidden: true }),
    renderComposer(),
    renderFooter(),
  ]);
  dom.$panel = dom.$dialog.querySelector('#ca-panel');
  dom.$dialog.addEventListener('keydown', handleDialogKeydown);

  // Announces new messages that arrive while the dialog is closed and the log is hidden.
  dom.$announcer = createElement('div', { class: 'ca-visually-hidden', 'aria-live': 'polite' });
  // Reserves room at the end of the page so the fixed launcher never covers the last content.
  const $spacer = createElement('div', { class: 'ca-spacer', 'aria-hidden': 'true' });

  $root.append(dom.$launcher, dom.$dialog, dom.$announcer, $spacer);
  dom.$root = $root;

  dom.$printArea = createElement('div', { class: 'ca-print-area', 'aria-hidden': 'true' });
  document.body.append($root, dom.$printArea);
  updateHeaderStatus();
}

/**
 * Builds the dialog header: title, who is replying, close button and "Talk to a person".
 * @returns {HTMLElement}
 */
function renderHeader() {
  dom.$status = createElement('p', { class: 'ca-status', id: 'ca-status' });
  const $close = createElement('button', { type: 'button', class: 'ca-close', 'aria-label': 'Close chat' }, [
    createElement('span', { class: 'ca-close__icon', 'aria-hidden': 'true', text: '×' }),
    createElement('span', { text: 'Close' }),
  ]);
  $close.addEventListener('click', handleCloseClick);
  dom.$humanButton = createElement('button', { type: 'button', class: 'ca-button ca-button--light ca-human', text: HUMAN_TITLE });
  dom.$humanButton.addEventListener('click', handleHumanClick);

  return createElement('div', { class: 'ca-header' }, [
    createElement('div', { class: 'ca-header__titles' }, [
      createElement('h2', { class: 'ca-title', id: 'ca-title', text: config.councilName + ' chat' }),
      dom.$status,
    ]),
    createElement('div', { class: 'ca-header__actions' }, [dom.$humanButton, $close]),
  ]);
}

/**
 * Builds the message log with its opening message.
 * @returns {HTMLElement}
 */
function renderLog() {
  dom.$log = createElement('div', {
    class: 'ca-log',
    id: 'ca-log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
    tabindex: '0',
  });
  const introText = 'Hello. I am an automated assistant for ' + config.councilName +
    '. Ask me about council services. You can talk to a person at any time.' +
    ' Please do not type bank card details or passwords.';
  const $intro = createElement('div', { class: 'ca-msg ca-msg--bot ca-msg--intro' }, [
    createElement('p', { class: 'ca-msg__meta' }, [createElement('span', { class: 'ca-msg__sender', text: 'Automated assistant' })]),
    createElement('p', { class: 'ca-msg__text', id: 'ca-intro', text: introText }),
  ]);
  dom.$log.append($intro);
  addToTranscript({ sender: 'Automated assistant', text: introText, time: null, links: [] });
  dom.$log.addEventListener('scroll', handleLogScroll);
  if (typeof ResizeObserver === 'function') {
    // The log shrinks when the panel or the typing indicator appears, so stay on the newest message.
    new ResizeObserver(handleLogResize).observe(dom.$log);
  }
  return dom.$log;
}

/**
 * Builds the typing indicator, a status region that is empty while nobody is typing.
 * @returns {HTMLElement}
 */
function renderTyping() {
  dom.$typingText = createElement('span', { class: 'ca-typing__text' });
  dom.$typing = createElement('div', { class: 'ca-typing', role: 'status' }, [
    createElement('span', { class: 'ca-typing__dots', 'aria-hidden': 'true' }, [
      createElement('span'), createElement('span'), createElement('span'),
    ]),
    dom.$typingText,
  ]);
  dom.$typing.classList.add('ca-typing--off');
  return dom.$typing;
}

/**
 * Builds the message form: label, hint, error, text area, counter and Send button.
 * @returns {HTMLElement}
 */
function renderComposer() {
  dom.$inputError = createElement('p', { class: 'ca-error-message', id: 'ca-input-error', hidden: true });
  dom.$input = createElement('textarea', {
    id: 'ca-input',
    class: 'ca-input',
    name: 'message',
    rows: '2',
    autocomplete: 'off',
    'aria-describedby': 'ca-input-hint ca-counter',
  });
  dom.$counter = createElement('p', { class: 'ca-counter', id: 'ca-counter' });
  dom.$counterLive = createElement('div', { class: 'ca-visually-hidden', 'aria-live': 'polite' });
  const $send = createElement('button', { type: 'submit', class: 'ca-button ca-send', text: 'Send' });

  dom.$composer = createElement('form', { class: 'ca-composer', novalidate: true }, [
    createElement('label', { class: 'ca-label', for: 'ca-input', text: 'Your message' }),
    createElement('p', { class: 'ca-hint', id: 'ca-input-hint', text: 'Enter sends. Shift and Enter starts a new line.' }),
    dom.$inputError,
    dom.$input,
    createElement('div', { class: 'ca-composer__row' }, [dom.$counter, $send]),
    dom.$counterLive,
  ]);
  dom.$composer.addEventListener('submit', handleComposerSubmit);
  dom.$input.addEventListener('keydown', handleInputKeydown);
  dom.$input.addEventListener('input', handleInputChange);
  updateCounter(false);
  return dom.$composer;
}

/**
 * Builds the footer: transcript download, print and the privacy notice link.
 * @returns {HTMLElement}
 */
function renderFooter() {
  const $download = createElement('button', { type: 'button', class: 'ca-footer__control', text: 'Download transcript' });
  $download.addEventListener('click', handleDownloadClick);
  const $print = createElement('button', { type: 'button', class: 'ca-footer__control', text: 'Print transcript' });
  $print.addEventListener('click', handlePrintClick);
  const $privacy = createElement('a', { class: 'ca-footer__control', href: config.privacyUrl, text: 'Privacy notice' });
  return createElement('div', { class: 'ca-footer' }, [$download, $print, $privacy]);
}
