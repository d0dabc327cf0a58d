/**
 * Council resident assistant: accessible chat widget.
 *
 * Add it to a page with one script tag, for example
 *   <script src="/widget/widget.js" data-council-name="Shropshire Council" defer></script>
 * or set window.CouncilAssistantConfig before the script runs. README.md lists the options.
 *
 * The widget talks to the gateway over socket.io with the events in docs/gateway-protocol.md.
 * Safety rules that every function below keeps:
 * - Text from the server is only ever written with textContent, never parsed as HTML or markdown.
 * - Links come only from message.links, button payloads and service_answer source URLs, and only
 *   https, mailto and tel addresses become clickable (see toSafeHref). A URL inside message text
 *   stays plain text.
 */
(function () {
  'use strict';

  if (window.CouncilAssistant) {
    return;
  }

  // The gateway's limits (config/gateway.yml resident.max_message_chars, gateway/feedback.py).
  const MAX_MESSAGE_LENGTH = 2000;
  const MAX_COMMENT_LENGTH = 1000;
  const MAX_NAME_LENGTH = 100;
  const COUNTER_ANNOUNCE_FROM = 200;
  const DEFAULT_PRIMARY_COLOUR = '#005a70';
  const MIN_TEXT_CONTRAST = 4.5;
  const HUMAN_PAYLOAD = '/request_human';
  const HUMAN_TITLE = 'Talk to a person';
  const SAFE_PROTOCOLS = ['https:', 'mailto:', 'tel:'];
  const STORAGE_KEYS = {
    token: 'councilAssistant.sessionToken',
    open: 'councilAssistant.open',
    agent: 'councilAssistant.agent',
  };
  const RESIDENT_SENDERS = ['user', 'resident', 'visitor', 'customer'];
  const TYPING_TIMEOUT_MS = 20000;
  // The same UK phone rule as gateway/validation.py, so residents see the error before sending.
  const UK_PHONE_PATTERN = /^0(?:1\d{8,9}|2\d{9}|3\d{9}|7[1-9]\d{8}|80\d{7,8}|84\d{8})$/;
  const EMAIL_PATTERN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
  const RESTORE_OPEN_DELAY_MS = 300;
  const RESTORE_OPEN_TIMEOUT_MS = 3000;
  // Viewports this small get a full-screen modal dialog. widget.css uses the same breakpoints.
  const FULL_SCREEN_QUERY = '(max-width: 40em), (max-height: 32em)';

  const $script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const config = readConfig($script);

  const state = {
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
    messageCount: 0,
  };

  const dom = {};

  // ---------------------------------------------------------------------------
  // Configuration and storage
  // ---------------------------------------------------------------------------

  /**
   * Builds the configuration from window.CouncilAssistantConfig and the script tag's data
   * attributes. A data attribute wins over the same key in the window object.
   * @param {HTMLScriptElement|null} $tag the script tag that loaded this file
   * @returns {object} the resolved configuration
   */
  function readConfig($tag) {
    const fromWindow = window.CouncilAssistantConfig && typeof window.CouncilAssistantConfig === 'object'
      ? window.CouncilAssistantConfig
      : {};
    const fromTag = $tag ? $tag.dataset : {};
    const scriptUrl = $tag && $tag.src ? $tag.src : new URL('/widget/widget.js', window.location.href).href;

    /**
     * Returns one option as a string, or the fallback when neither source sets it.
     * @param {string} name camelCase option name
     * @param {string} fallback default value
     * @returns {string}
     */
    function pick(name, fallback) {
      if (fromTag[name] !== undefined) {
        return String(fromTag[name]);
      }
      if (fromWindow[name] !== undefined && fromWindow[name] !== null) {
        return String(fromWindow[name]);
      }
      return fallback;
    }

    const serverUrl = pick('serverUrl', '').trim();
    const base = serverUrl || window.location.href;
    return {
      serverUrl: serverUrl,
      socketPath: pick('socketPath', '/socket.io/'),
      councilName: pick('councilName', 'Shropshire Council'),
      primaryColour: pick('primaryColour', pick('primaryColor', DEFAULT_PRIMARY_COLOUR)),
      privacyUrl: new URL(pick('privacyUrl', '/privacy'), base).href,
      contactPhone: pick('contactPhone', '0345 678 9000'),
      contactEmail: pick('contactEmail', 'customer.service@shropshire.gov.uk'),
      launcherText: pick('launcherText', ''),
      vendorUrl: new URL(pick('vendorUrl', 'vendor/socket.io.min.js'), scriptUrl).href,
      stylesheetUrl: pick('stylesheetUrl', new URL('widget.css', scriptUrl).href),
    };
  }

  /**
   * Reads a value from sessionStorage, or null where storage is blocked.
   * @param {string} key
   * @returns {string|null}
   */
  function readStorage(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (error) {
      return null;
    }
  }

  /**
   * Writes a value to sessionStorage, or removes it when the value is null. Blocked storage
   * only costs persistence across reloads, so its errors are ignored.
   * @param {string} key
   * @param {string|null} value
   */
  function writeStorage(key, value) {
    try {
      if (value === null || value === undefined) {
        window.sessionStorage.removeItem(key);
      } else {
        window.sessionStorage.setItem(key, value);
      }
    } catch (error) {
      // Browsers can block storage. The chat still works within this page.
    }
  }

  /**
   * Parses JSON, returning null for missing or invalid input.
   * @param {string|null} text
   * @returns {*}
   */
  function parseJson(text) {
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------
  // Small helpers: DOM, text, links, colours
  // ---------------------------------------------------------------------------

  /**
   * Creates an element with attributes and text. Text is always set with textContent.
   * @param {string} tag element name
   * @param {object} [attributes] attribute names and values, where `text` sets textContent
   * @param {Array<Node|string>} [children] nodes or strings to append
   * @returns {HTMLElement}
   */
  function createElement(tag, attributes, children) {
    const $element = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([name, value]) {
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === 'text') {
        $element.textContent = String(value);
      } else {
        $element.setAttribute(name, value === true ? '' : String(value));
      }
    });
    (children || []).forEach(function (child) {
      $element.append(child);
    });
    return $element;
  }

  /**
   * Returns the href to use for a URL, or null when it must not become a link. Only absolute
   * https, mailto and tel URLs pass, so javascript:, data:, http: and relative URLs stay text.
   * @param {*} url
   * @returns {string|null}
   */
  function toSafeHref(url) {
    if (typeof url !== 'string') {
      return null;
    }
    let parsed;
    try {
      parsed = new URL(url.trim());
    } catch (error) {
      return null;
    }
    if (!SAFE_PROTOCOLS.includes(parsed.protocol)) {
      return null;
    }
    if (parsed.protocol === 'https:' && (!parsed.hostname || parsed.username || parsed.password)) {
      return null;
    }
    return parsed.href;
  }

  /**
   * Creates a link for a checked URL, or a plain text span when the URL is unsafe.
   * @param {string} title visible link text
   * @param {*} url address from the server
   * @returns {HTMLElement}
   */
  function createSafeLink(title, url) {
    const href = toSafeHref(url);
    const label = title ? String(title) : String(url || '');
    if (!href) {
      return createElement('span', { class: 'ca-link-unavailable', text: label });
    }
    const $link = createElement('a', { href: href, class: 'ca-link', text: label });
    if (href.startsWith('https:')) {
      $link.setAttribute('target', '_blank');
      $link.setAttribute('rel', 'noopener noreferrer');
      $link.append(createElement('span', { class: 'ca-visually-hidden', text: ' (opens in new tab)' }));
    }
    return $link;
  }

  /**
   * Counts characters as code points, the way the gateway's Python len() does.
   * @param {string} text
   * @returns {number}
   */
  function countCharacters(text) {
    return Array.from(text).length;
  }

  /**
   * Formats a whole number the UK way, for example 2,000.
   * @param {number} value
   * @returns {string}
   */
  function formatNumber(value) {
    return value.toLocaleString('en-GB');
  }

  /**
   * Converts a message time (ISO string, seconds or milliseconds) to a Date, or null.
   * @param {*} value
   * @returns {Date|null}
   */
  function toDate(value) {
    if (value === null || value === undefined || value === '') {
      return null;
    }
    let date;
    if (typeof value === 'number') {
      date = new Date(value < 1e12 ? value * 1000 : value);
    } else {
      date = new Date(String(value));
    }
    return Number.isNaN(date.getTime()) ? null : date;
  }

  /**
   * Formats a time of day as 14:05.
   * @param {Date} date
   * @returns {string}
   */
  function formatClock(date) {
    return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  }

  /**
   * Describes when advisers are next available. Dates become "Monday 5 January at 09:00",
   * and any other string from the gateway is shown as it is.
   * @param {*} value next_open from handoff_state
   * @returns {string}
   */
  function formatNextOpen(value) {
    const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? toDate(value) : null;
    if (!date) {
      return value ? String(value) : '';
    }
    const day = date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
    return day + ' at ' + formatClock(date);
  }

  /**
   * Parses #rgb or #rrggbb into [r, g, b], or returns null.
   * @param {string} colour
   * @returns {number[]|null}
   */
  function parseHexColour(colour) {
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(colour).trim());
    if (!match) {
      return null;
    }
    let hex = match[1];
    if (hex.length === 3) {
      hex = hex.split('').map(function (digit) { return digit + digit; }).join('');
    }
    return [0, 2, 4].map(function (start) { return parseInt(hex.slice(start, start + 2), 16); });
  }

  /**
   * Computes the WCAG 2 contrast ratio of a colour against white.
   * @param {number[]} rgb
   * @returns {number}
   */
  function contrastWithWhite(rgb) {
    const channels = rgb.map(function (value) {
      const channel = value / 255;
      return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    });
    const luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return 1.05 / (luminance + 0.05);
  }

  /**
   * Returns the configured primary colour when white text on it meets 4.5:1, else the default.
   * @param {string} colour
   * @returns {string}
   */
  function choosePrimaryColour(colour) {
    const rgb = parseHexColour(colour);
    if (!rgb) {
      console.warn('Council assistant: primary colour "' + colour + '" is not a #rgb or #rrggbb value, so the default is used.');
      return DEFAULT_PRIMARY_COLOUR;
    }
    const ratio = contrastWithWhite(rgb);
    if (ratio < MIN_TEXT_CONTRAST) {
      console.warn('Council assistant: white text on ' + colour + ' has contrast ' + ratio.toFixed(2) + ':1, below 4.5:1, so the default colour is used.');
      return DEFAULT_PRIMARY_COLOUR;
    }
    return colour;
  }

  /**
   * Darkens a colour by a fraction, for hover states.
   * @param {string} colour #rrggbb or #rgb
   * @param {number} fraction 0 to 1
   * @returns {string}
   */
  function darken(colour, fraction) {
    const rgb = parseHexColour(colour) || parseHexColour(DEFAULT_PRIMARY_COLOUR);
    return '#' + rgb.map(function (value) {
      return Math.round(value * (1 - fraction)).toString(16).padStart(2, '0');
    }).join('');
  }

  /**
   * Returns the visible name for a message's sender.
   * @param {object} message
   * @returns {string}
   */
  function senderName(message) {
    if (isResidentMessage(message)) {
      return 'You';
    }
    if (message.sender === 'agent') {
      const agent = message.agent || state.agent;
      return agent && agent.first_name ? agent.first_name + ' (adviser)' : 'Adviser';
    }
    if (message.sender === 'system') {
      return 'Chat update';
    }
    return 'Automated assistant';
  }

  /**
   * Tells whether a message was written by the resident.
   * @param {object} message
   * @returns {boolean}
   */
  function isResidentMessage(message) {
    return RESIDENT_SENDERS.includes(message.sender);
  }

  /**
   * Describes the connected adviser as "Sam, Customer services adviser".
   * @param {object|null} agent
   * @returns {string}
   */
  function describeAgent(agent) {
    if (!agent || !agent.first_name) {
      return 'an adviser';
    }
    return agent.role ? agent.first_name + ', ' + agent.role : agent.first_name;
  }

  // ---------------------------------------------------------------------------
  // Building the widget
  // ---------------------------------------------------------------------------

  /**
   * Adds the stylesheet unless the page already has it.
   * @returns {Promise<void>} settles when the stylesheet loads, fails or times out
   */
  function loadStylesheet() {
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
  function renderWidget() {
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

  // ---------------------------------------------------------------------------
  // Opening and closing
  // ---------------------------------------------------------------------------

  /**
   * Opens the dialog and connects if needed.
   * @param {{focus?: boolean}} [options] focus: move focus to the input (default true)
   */
  function openWidget(options) {
    const moveFocus = !options || options.focus !== false;
    window.clearTimeout(state.restoreTimer);
    state.restoreOpenPending = false;
    state.open = true;
    writeStorage(STORAGE_KEYS.open, '1');
    dom.$dialog.hidden = false;
    dom.$launcher.hidden = true;
    dom.$launcher.setAttribute('aria-expanded', 'true');
    state.unread = 0;
    updateLauncherBadge();
    updateModalMode();
    scrollLogToEnd(true);
    ensureConnection();
    if (moveFocus) {
      dom.$input.focus();
    }
  }

  /**
   * Closes the dialog and returns focus to the launcher.
   */
  function closeWidget() {
    state.open = false;
    writeStorage(STORAGE_KEYS.open, null);
    dom.$dialog.hidden = true;
    dom.$launcher.hidden = false;
    dom.$launcher.setAttribute('aria-expanded', 'false');
    releaseModal();
    dom.$launcher.focus();
  }

  /**
   * Makes the dialog modal on small or zoomed screens, where it covers the whole page, and
   * non-modal on wide screens, where the page stays readable beside it.
   */
  function updateModalMode() {
    // NOTE: on wide screens the open panel can still cover a focused page element behind it
    // (WCAG 2.4.11). Nothing here moves such an element into view.
    const fullScreen = window.matchMedia(FULL_SCREEN_QUERY).matches;
    if (!state.open || !fullScreen) {
      releaseModal();
      return;
    }
    if (state.modal) {
      return;
    }
    state.modal = true;
    dom.$dialog.setAttribute('aria-modal', 'true');
    Array.from(document.body.children).forEach(function ($child) {
      if ($child === dom.$root || $child === dom.$printArea || $child.inert || $child.tagName === 'SCRIPT') {
        return;
      }
      $child.inert = true;
      state.inertElements.push($child);
    });
  }

  /**
   * Ends modal mode: the page behind becomes usable again.
   */
  function releaseModal() {
    state.modal = false;
    dom.$dialog.setAttribute('aria-modal', 'false');
    state.inertElements.forEach(function ($element) {
      $element.inert = false;
    });
    state.inertElements = [];
  }

  /**
   * Handles a click on the launcher.
   */
  function handleLauncherClick() {
    openWidget();
  }

  /**
   * Handles a click on the Close button.
   */
  function handleCloseClick() {
    closeWidget();
  }

  /**
   * Handles Escape (close) and Tab (keep focus inside while modal) in the dialog.
   * @param {KeyboardEvent} event
   */
  function handleDialogKeydown(event) {
    if (event.key === 'Escape' && !event.isComposing) {
      event.preventDefault();
      closeWidget();
      return;
    }
    if (event.key !== 'Tab' || !state.modal) {
      return;
    }
    const $focusable = Array.from(dom.$dialog.querySelectorAll(
      'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]'
    )).filter(function ($element) {
      return $element.offsetParent !== null || $element === document.activeElement;
    });
    if ($focusable.length === 0) {
      return;
    }
    const $first = $focusable[0];
    const $last = $focusable[$focusable.length - 1];
    if (event.shiftKey && document.activeElement === $first) {
      event.preventDefault();
      $last.focus();
    } else if (!event.shiftKey && document.activeElement === $last) {
      event.preventDefault();
      $first.focus();
    }
  }

  /**
   * Updates the launcher's unread badge.
   */
  function updateLauncherBadge() {
    if (state.unread === 0) {
      dom.$launcherBadge.hidden = true;
      dom.$launcherBadge.textContent = '';
      return;
    }
    dom.$launcherBadge.hidden = false;
    dom.$launcherBadge.textContent = state.unread === 1 ? '1 new message' : formatNumber(state.unread) + ' new messages';
  }

  // ---------------------------------------------------------------------------
  // Connection
  // ---------------------------------------------------------------------------

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
  function ensureConnection() {
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
  function sendEvent(name, data) {
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

  /**
   * Handles history after a resumed session. Messages already on screen are skipped, so a
   * reconnection in the same page adds only what was missed.
   * @param {{messages: object[]}} data
   */
  function handleHistory(data) {
    const messages = data && Array.isArray(data.messages) ? data.messages : [];
    messages.forEach(function (message) {
      if (!message || typeof message !== 'object') {
        return;
      }
      if (isResidentMessage(message) && !seenId(message)) {
        const index = state.pendingOwnTexts.indexOf(String(message.text || ''));
        if (index !== -1) {
          state.pendingOwnTexts.splice(index, 1);
          markSeen(message);
          return;
        }
      }
      renderMessage(message);
    });
    removeOldQuickReplies(!['with_agent', 'closed'].includes(state.handoffState));
    restoreLastAgent(messages);
    if (state.restoreOpenPending) {
      restoreOpen();
    }
  }

  /**
   * Reopens the dialog after a reload or page change, without moving focus.
   */
  function restoreOpen() {
    window.clearTimeout(state.restoreTimer);
    if (!state.restoreOpenPending) {
      return;
    }
    state.restoreOpenPending = false;
    if (!state.open) {
      openWidget({ focus: false });
    }
  }

  /**
   * Finds the adviser's name from history when the stored one is missing after a reload.
   * @param {object[]} messages
   */
  function restoreLastAgent(messages) {
    if (state.handoffState !== 'with_agent' || (state.agent && state.agent.first_name)) {
      return;
    }
    for (let index = messages.length - 1; index >= 0; index -= 1) {
      if (messages[index] && messages[index].sender === 'agent' && messages[index].agent) {
        setAgent(messages[index].agent);
        updateHeaderStatus();
        return;
      }
    }
  }

  /**
   * Handles one new message from the bot, an adviser or the gateway.
   * @param {object} message
   */
  function handleMessage(message) {
    if (!message || typeof message !== 'object') {
      return;
    }
    updateTyping(false);
    const $message = renderMessage(message);
    if ($message && !state.open) {
      state.unread += 1;
      updateLauncherBadge();
      dom.$announcer.textContent = 'New message from ' + senderName(message) + '. Open the chat to read it.';
    }
  }

  /**
   * Handles the typing indicator event.
   * @param {{on: boolean}} data
   */
  function handleTyping(data) {
    updateTyping(Boolean(data && data.on));
  }

  /**
   * Handles a change of handoff state from the gateway.
   * @param {object} data
   */
  function handleHandoffState(data) {
    updateHandoff(data || {});
  }

  /**
   * Handles the gateway's request for feedback after an adviser closes the chat.
   */
  function handleFeedbackRequest() {
    renderNote('There is a short feedback form below the conversation.');
    renderFeedbackForm();
  }

  /**
   * Shows an error event from the gateway in the conversation.
   * @param {{code: string, message: string}} data
   */
  function handleServerError(data) {
    const code = data && data.code ? String(data.code) : 'unknown';
    const text = data && data.message ? String(data.message) : 'Something went wrong with the chat. Please try again.';
    console.warn('Council assistant: gateway error ' + code);
    if (data && data.field && showFieldError(String(data.field), text)) {
      return;
    }
    renderNote(text, { error: true });
  }

  /**
   * Shows a gateway validation error next to the field it names, in the open panel form.
   * @param {string} field the gateway's field name, for example phone
   * @param {string} text the error message
   * @returns {boolean} false when no open form has that field
   */
  function showFieldError(field, text) {
    const ids = { name: 'ca-lm-name', phone: 'ca-lm-phone', email: 'ca-lm-email', message: 'ca-lm-message', consent: 'ca-lm-consent', rating: 'ca-fb-rating', comment: 'ca-fb-comment' };
    const $form = dom.$panel.querySelector('form');
    const id = ids[field];
    if (!$form || !id || !$form.querySelector('#' + id)) {
      return false;
    }
    $form.removeAttribute('data-pending');
    updateFormErrors($form, $form.querySelector('.ca-error-summary'), [{ id: id, message: text }]);
    return true;
  }

  // ---------------------------------------------------------------------------
  // Messages
  // ---------------------------------------------------------------------------

  /**
   * Tells whether a message id is already on screen.
   * @param {object} message
   * @returns {boolean}
   */
  function seenId(message) {
    return message.id !== undefined && message.id !== null && state.seenIds.has(String(message.id));
  }

  /**
   * Records a message id as on screen.
   * @param {object} message
   */
  function markSeen(message) {
    if (message.id !== undefined && message.id !== null) {
      state.seenIds.add(String(message.id));
    }
  }

  /**
   * Renders one message into the log with its links and quick replies.
   * @param {object} message a message in the gateway's format
   * @returns {HTMLElement|null} the new element, or null for a message already shown
   */
  function renderMessage(message) {
    if (seenId(message)) {
      return null;
    }
    markSeen(message);

    const kind = isResidentMessage(message) ? 'own' : (['agent', 'system'].includes(message.sender) ? message.sender : 'bot');
    const name = senderName(message);
    const date = toDate(message.time);
    const text = typeof message.text === 'string' ? message.text : '';

    const $meta = createElement('p', { class: 'ca-msg__meta' }, [createElement('span', { class: 'ca-msg__sender', text: name })]);
    if (date) {
      $meta.append(' ', createElement('time', { class: 'ca-msg__time', datetime: date.toISOString(), text: formatClock(date) }));
    }
    state.messageCount += 1;
    const $message = createElement('div', { class: 'ca-msg ca-msg--' + kind, id: 'ca-msg-' + state.messageCount }, [$meta]);
    if (text) {
      $message.append(createElement('p', { class: 'ca-msg__text', text: text }));
    }

    const links = collectLinks(message);
    if (links.length > 0) {
      const $list = createElement('ul', { class: 'ca-msg__links' });
      links.forEach(function (link) {
        $list.append(createElement('li', {}, [createSafeLink(link.title, link.url)]));
      });
      $message.append($list);
    }

    const quickReplies = kind === 'own' ? [] : collectQuickReplies(message);
    if (quickReplies.length > 0) {
      removeOldQuickReplies(false);
      $message.append(renderQuickReplies(quickReplies));
    }

    const stickToEnd = kind === 'own' || isLogNearEnd();
    dom.$log.append($message);
    if (kind === 'own') {
      state.replyAnchor = null;
    } else if (!state.replyAnchor) {
      state.replyAnchor = $message;
    }
    addToTranscript({
      sender: name,
      text: text,
      time: date,
      links: links.filter(function (link) { return toSafeHref(link.url); }),
    });
    if (stickToEnd) {
      scrollLogToEnd(false);
    }
    return $message;
  }

  /**
   * Collects the links of a message: message.links, buttons whose payload is a link, and the
   * source page of a service answer.
   * @param {object} message
   * @returns {{title: string, url: string}[]}
   */
  function collectLinks(message) {
    const links = [];
    const seen = new Set();

    /**
     * Adds one link unless its URL is already listed.
     * @param {*} title
     * @param {*} url
     */
    function addLink(title, url) {
      if (typeof url !== 'string' || !url || seen.has(url)) {
        return;
      }
      seen.add(url);
      links.push({ title: title ? String(title) : url, url: url });
    }

    (Array.isArray(message.links) ? message.links : []).forEach(function (link) {
      if (link && typeof link === 'object') {
        addLink(link.title, link.url);
      }
    });
    (Array.isArray(message.buttons) ? message.buttons : []).forEach(function (button) {
      if (button && typeof button.payload === 'string' && toSafeHref(button.payload)) {
        addLink(button.title, button.payload);
      }
    });
    const custom = message.custom && typeof message.custom === 'object' ? message.custom : {};
    const sourceUrl = message.source_url || custom.source_url;
    if (sourceUrl) {
      addLink('More about this on the ' + config.councilName + ' website', sourceUrl);
    }
    return links;
  }

  /**
   * Collects the quick-reply buttons of a message, leaving out link buttons.
   * @param {object} message
   * @returns {{title: string, payload: string}[]}
   */
  function collectQuickReplies(message) {
    return (Array.isArray(message.buttons) ? message.buttons : []).filter(function (button) {
      return button && typeof button.payload === 'string' && button.payload && !toSafeHref(button.payload);
    }).map(function (button) {
      return { title: String(button.title || button.payload), payload: button.payload };
    });
  }

  /**
   * Builds a group of quick-reply buttons.
   * @param {{title: string, payload: string}[]} buttons
   * @returns {HTMLElement}
   */
  function renderQuickReplies(buttons) {
    const $group = createElement('div', { class: 'ca-quick-replies', role: 'group', 'aria-label': 'Suggested replies' });
    buttons.forEach(function (button) {
      const $button = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary ca-quick-reply', text: button.title });
      $button.addEventListener('click', function () {
        handleQuickReplyClick(button, $group);
      });
      $group.append($button);
    });
    return $group;
  }

  /**
   * Removes quick replies from earlier messages, because the gateway only accepts the payloads
   * of the buttons it sent last.
   * @param {boolean} keepLast keep the newest group
   */
  function removeOldQuickReplies(keepLast) {
    const $groups = Array.from(dom.$log.querySelectorAll('.ca-quick-replies'));
    const $remove = keepLast ? $groups.slice(0, -1) : $groups;
    $remove.forEach(function ($group) {
      const hadFocus = $group.contains(document.activeElement);
      $group.remove();
      if (hadFocus) {
        dom.$input.focus();
      }
    });
  }

  /**
   * Handles a click on a quick reply: sends its payload and shows its title as the resident's
   * message.
   * @param {{title: string, payload: string}} button
   * @param {HTMLElement} $group the button's group, removed once used
   */
  function handleQuickReplyClick(button, $group) {
    if (!sendEvent('user_message', { payload: button.payload, title: button.title })) {
      renderNote('You are not connected, so that was not sent. Try again when the chat has reconnected.', { error: true });
      return;
    }
    $group.remove();
    renderOwnMessage(button.title);
    dom.$input.focus();
  }

  /**
   * Renders a message the resident has just sent.
   * @param {string} text
   */
  function renderOwnMessage(text) {
    state.pendingOwnTexts.push(text);
    renderMessage({ sender: 'user', text: text, time: new Date().toISOString() });
  }

  /**
   * Adds a note from the widget itself (connection, handoff or error) to the log.
   * @param {string} text
   * @param {{error?: boolean, contactRoutes?: boolean}} [options] error: style as an error;
   *   contactRoutes: add the council's phone and email links
   */
  function renderNote(text, options) {
    const settings = options || {};
    const $note = createElement('div', { class: 'ca-note' + (settings.error ? ' ca-note--error' : '') }, [
      createElement('p', { class: 'ca-note__text', text: (settings.error ? 'Error: ' : '') + text }),
    ]);
    const links = [];
    if (settings.contactRoutes) {
      $note.append(renderContactRoutes(links));
    }
    const stickToEnd = isLogNearEnd();
    dom.$log.append($note);
    addToTranscript({ sender: 'Chat update', text: text, time: new Date(), links: links });
    if (stickToEnd) {
      scrollLogToEnd(false);
    }
  }

  /**
   * Builds the council's phone and email routes as links.
   * @param {{title: string, url: string}[]} links receives the links, for the transcript
   * @returns {HTMLElement}
   */
  function renderContactRoutes(links) {
    const $routes = createElement('p', { class: 'ca-note__routes', text: 'You can also contact us: ' });
    const routes = [];
    if (config.contactPhone) {
      routes.push({ title: 'call ' + config.contactPhone, url: 'tel:' + config.contactPhone.replace(/[^0-9+]/g, '') });
    }
    if (config.contactEmail) {
      routes.push({ title: 'email ' + config.contactEmail, url: 'mailto:' + config.contactEmail });
    }
    routes.forEach(function (route, index) {
      if (index > 0) {
        $routes.append(' or ');
      }
      $routes.append(createSafeLink(route.title, route.url));
      links.push(route);
    });
    $routes.append('.');
    return $routes;
  }

  /**
   * Tells whether the log is scrolled to (or close to) its end.
   * @returns {boolean}
   */
  function isLogNearEnd() {
    return dom.$log.scrollHeight - dom.$log.scrollTop - dom.$log.clientHeight < 120;
  }

  /**
   * Records whether the resident has scrolled away from the newest message.
   */
  function handleLogScroll() {
    state.logPinned = isLogNearEnd();
  }

  /**
   * Keeps the newest message in view when the log changes size.
   */
  function handleLogResize() {
    if (state.logPinned && !dom.$dialog.hidden) {
      dom.$log.scrollTop = dom.$log.scrollHeight;
    }
  }

  /**
   * Scrolls the log to its newest message, without animation.
   * @param {boolean} onOpen true when the dialog has just opened
   */
  function scrollLogToEnd(onOpen) {
    if (dom.$dialog.hidden) {
      return;
    }
    // A long reply is read from its start: scroll to the end, but never past the first message
    // of the latest reply.
    const endTop = dom.$log.scrollHeight - dom.$log.clientHeight;
    const $anchor = state.replyAnchor && state.replyAnchor.isConnected ? state.replyAnchor : null;
    dom.$log.scrollTop = $anchor ? Math.min(endTop, $anchor.offsetTop - 8) : endTop;
    state.logPinned = dom.$log.scrollTop >= endTop - 1;
    // On short screens the whole dialog scrolls instead of the log.
    const $target = $anchor || dom.$log.lastElementChild;
    if (!onOpen && dom.$dialog.scrollHeight > dom.$dialog.clientHeight && $target) {
      $target.scrollIntoView({ block: $anchor ? 'start' : 'nearest' });
    }
  }

  /**
   * Shows or hides the typing indicator, naming the adviser while one is connected.
   * @param {boolean} on
   */
  function updateTyping(on) {
    window.clearTimeout(state.typingTimer);
    if (!on) {
      dom.$typing.classList.add('ca-typing--off');
      dom.$typingText.textContent = '';
      return;
    }
    const typistName = state.handoffState === 'with_agent' && state.agent && state.agent.first_name
      ? state.agent.first_name
      : (state.handoffState === 'with_agent' ? 'The adviser' : 'The automated assistant');
    dom.$typingText.textContent = typistName + ' is typing…';
    dom.$typing.classList.remove('ca-typing--off');
    // A lost "typing off" event must not leave the indicator on for ever.
    state.typingTimer = window.setTimeout(function () { updateTyping(false); }, TYPING_TIMEOUT_MS);
  }

  // ---------------------------------------------------------------------------
  // Composer
  // ---------------------------------------------------------------------------

  /**
   * Handles the message form: checks the text, sends it and shows it.
   * @param {SubmitEvent} event
   */
  function handleComposerSubmit(event) {
    event.preventDefault();
    const text = dom.$input.value.trim();
    if (!text) {
      updateInputError('Type a message before you press Send.');
      dom.$input.focus();
      return;
    }
    if (countCharacters(text) > MAX_MESSAGE_LENGTH) {
      updateInputError('Your message must be ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters or fewer. Make it shorter, or send it in parts.');
      dom.$input.focus();
      return;
    }
    if (!sendEvent('user_message', { text: text })) {
      updateInputError('You are not connected, so your message was not sent. Try again when the chat has reconnected.');
      return;
    }
    updateInputError(null);
    renderOwnMessage(text);
    dom.$input.value = '';
    updateCounter(false);
    dom.$input.focus();
  }

  /**
   * Sends the message on Enter. Shift and Enter (or Enter during an IME composition) adds a new line.
   * @param {KeyboardEvent} event
   */
  function handleInputKeydown(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      dom.$composer.requestSubmit();
    }
  }

  /**
   * Updates the counter as the resident types.
   */
  function handleInputChange() {
    updateCounter(true);
    if (dom.$input.getAttribute('aria-invalid') === 'true' && countCharacters(dom.$input.value) <= MAX_MESSAGE_LENGTH && dom.$input.value.trim()) {
      updateInputError(null);
    }
  }

  /**
   * Shows or clears the error message above the input.
   * @param {string|null} message
   */
  function updateInputError(message) {
    if (!message) {
      dom.$inputError.hidden = true;
      dom.$inputError.textContent = '';
      dom.$input.removeAttribute('aria-invalid');
      dom.$input.setAttribute('aria-describedby', 'ca-input-hint ca-counter');
      return;
    }
    dom.$inputError.hidden = false;
    dom.$inputError.textContent = '';
    dom.$inputError.append(createElement('span', { class: 'ca-visually-hidden', text: 'Error: ' }), message);
    dom.$input.setAttribute('aria-invalid', 'true');
    dom.$input.setAttribute('aria-describedby', 'ca-input-error ca-input-hint ca-counter');
  }

  /**
   * Updates the visible counter, and near the limit tells screen readers once typing pauses.
   * @param {boolean} announce send the count to the live region after a pause
   */
  function updateCounter(announce) {
    const remaining = MAX_MESSAGE_LENGTH - countCharacters(dom.$input.value);
    let text;
    if (remaining >= 0) {
      text = 'You have ' + formatNumber(remaining) + (remaining === 1 ? ' character' : ' characters') + ' left';
    } else {
      const over = -remaining;
      text = 'You have ' + formatNumber(over) + (over === 1 ? ' character' : ' characters') + ' too many';
    }
    dom.$counter.textContent = text;
    dom.$counter.classList.toggle('ca-counter--over', remaining < 0);
    window.clearTimeout(state.counterTimer);
    if (announce && remaining <= COUNTER_ANNOUNCE_FROM) {
      state.counterTimer = window.setTimeout(function () {
        dom.$counterLive.textContent = text;
      }, 1000);
    }
  }

  /**
   * Handles "Talk to a person": requests an adviser, unless the resident is already queued or connected.
   */
  function handleHumanClick() {
    if (state.handoffState === 'queued') {
      renderNote('You are already waiting to talk to an adviser.');
      return;
    }
    if (state.handoffState === 'with_agent') {
      renderNote('You are already talking to ' + describeAgent(state.agent) + '.');
      return;
    }
    if (!sendEvent('user_message', { payload: HUMAN_PAYLOAD, title: HUMAN_TITLE })) {
      renderNote('You are not connected, so we could not ask for an adviser. Try again when the chat has reconnected.', { error: true });
      return;
    }
    renderOwnMessage(HUMAN_TITLE);
    if (!state.open) {
      openWidget();
    }
  }

  // ---------------------------------------------------------------------------
  // Handoff states and their panels
  // ---------------------------------------------------------------------------

  /**
   * Maps the gateway's state names (and likely synonyms) to the widget's five states.
   * @param {*} name
   * @returns {string} bot, queued, with_agent, closed or out_of_hours
   */
  function normaliseState(name) {
    const value = String(name || 'bot').toLowerCase();
    const aliases = {
      waiting: 'queued',
      queue: 'queued',
      connected: 'with_agent',
      agent: 'with_agent',
      ended: 'closed',
      cancelled: 'bot',
      handed_back: 'bot',
    };
    const normalised = aliases[value] || value;
    return ['bot', 'queued', 'with_agent', 'closed', 'out_of_hours'].includes(normalised) ? normalised : 'bot';
  }

  /**
   * Stores the connected adviser's public details.
   * @param {object|null} agent
   */
  function setAgent(agent) {
    state.agent = agent && agent.first_name ? { first_name: String(agent.first_name), role: agent.role ? String(agent.role) : '' } : null;
    writeStorage(STORAGE_KEYS.agent, state.agent ? JSON.stringify(state.agent) : null);
  }

  /**
   * Applies a handoff state to the header and the panel. The log needs no note here, because the
   * gateway sends a system message with every change (queue joined, adviser joined, ended).
   * @param {object} data handoff_state or session_confirm data
   */
  function updateHandoff(data) {
    const next = normaliseState(data.state);
    const previous = state.handoffState;
    state.handoffState = next;
    if (data.agent && typeof data.agent === 'object') {
      setAgent(data.agent);
    }
    if (next !== previous && ['bot', 'with_agent', 'closed'].includes(next)) {
      // Buttons such as "Leave the queue" belong to the state that has just ended.
      removeOldQuickReplies(false);
    }

    if (next === 'queued') {
      renderQueuePanel(data);
    } else if (next === 'with_agent') {
      updatePanel(null);
    } else if (next === 'out_of_hours') {
      if (next !== previous || !dom.$panel.querySelector('form')) {
        renderLeaveMessageForm(data);
      }
    } else {
      // Only the feedback form stays when the state changes to bot or closed.
      if (!dom.$panel.querySelector('.ca-feedback')) {
        updatePanel(null);
      }
      setAgent(null);
    }
    updateHeaderStatus();
  }

  /**
   * Shows in the header whether the bot or an adviser is replying.
   */
  function updateHeaderStatus() {
    dom.$status.textContent = state.handoffState === 'with_agent'
      ? 'Adviser: ' + describeAgent(state.agent)
      : 'Automated assistant';
  }

  /**
   * Replaces the panel's content, or hides the panel when content is null.
   * @param {HTMLElement|null} $content
   */
  function updatePanel($content) {
    const hadFocus = dom.$panel.contains(document.activeElement);
    dom.$panel.textContent = '';
    if (hadFocus && !$content) {
      dom.$input.focus();
    }
    if (!$content) {
      dom.$panel.hidden = true;
      return;
    }
    dom.$panel.append($content);
    dom.$panel.hidden = false;
  }

  /**
   * Shows the queue place, the rough wait and a Cancel button.
   * @param {object} data handoff_state data
   */
  function renderQueuePanel(data) {
    const parts = ['Waiting for an adviser.'];
    const position = Number(data.queue_position);
    if (Number.isFinite(position) && position > 0) {
      parts.push(position === 1 ? 'You are next in the queue.' : 'You are number ' + formatNumber(position) + ' in the queue.');
    }
    const minutes = Number(data.estimated_wait_minutes);
    if (data.estimated_wait_minutes !== undefined && data.estimated_wait_minutes !== null && Number.isFinite(minutes)) {
      if (minutes < 1) {
        parts.push('The wait should be less than a minute.');
      } else {
        const rounded = Math.round(minutes);
        parts.push('The wait is roughly ' + formatNumber(rounded) + (rounded === 1 ? ' minute.' : ' minutes.'));
      }
    }
    const text = parts.join(' ');

    const $existing = dom.$panel.querySelector('.ca-queue__text');
    if ($existing) {
      if ($existing.textContent !== text) {
        $existing.textContent = text;
      }
      return;
    }
    const $cancel = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'Cancel and stop waiting' });
    $cancel.addEventListener('click', handleCancelHandoffClick);
    updatePanel(createElement('div', { class: 'ca-queue' }, [
      createElement('p', { class: 'ca-queue__text', role: 'status', text: text }),
      createElement('p', { class: 'ca-panel__hint', text: 'You can close the chat while you wait. You keep your place in the queue.' }),
      $cancel,
    ]));
  }

  /**
   * Handles the queue's Cancel button.
   */
  function handleCancelHandoffClick() {
    if (!sendEvent('cancel_handoff', {})) {
      renderNote('You are not connected, so we could not cancel. Try again when the chat has reconnected.', { error: true });
    }
  }

  /**
   * Builds a labelled form field with its hint and error slots.
   * @param {{id: string, label: string, hint?: string, control: HTMLElement}} field
   * @returns {HTMLElement}
   */
  function renderField(field) {
    const describedBy = [];
    const $group = createElement('div', { class: 'ca-field', id: field.id + '-group' }, [
      createElement('label', { class: 'ca-label', for: field.id, text: field.label }),
    ]);
    if (field.hint) {
      $group.append(createElement('p', { class: 'ca-hint', id: field.id + '-hint', text: field.hint }));
      describedBy.push(field.id + '-hint');
    }
    $group.append(createElement('p', { class: 'ca-error-message', id: field.id + '-error', hidden: true }));
    field.control.id = field.id;
    if (describedBy.length > 0) {
      field.control.setAttribute('aria-describedby', describedBy.join(' '));
    }
    $group.append(field.control);
    return $group;
  }

  /**
   * Shows the out-of-hours form: name, phone or email, message and consent.
   * @param {object} data handoff_state data. Its consent_text, when given, is the checkbox label,
   *   because the gateway stores that sentence with the message as the record of consent
   */
  function renderLeaveMessageForm(data) {
    const consentText = data && data.consent_text
      ? String(data.consent_text)
      : 'I agree that ' + config.councilName + ' can keep these details and contact me about my message.';
    const nextOpen = data && data.next_open_text ? String(data.next_open_text) : formatNextOpen(data && data.next_open);
    const $form = createElement('form', { class: 'ca-form', novalidate: true, 'aria-labelledby': 'ca-lm-title' });
    const $summary = createElement('div', { class: 'ca-error-summary', id: 'ca-lm-summary', tabindex: '-1', hidden: true });
    const $consent = createElement('input', { type: 'checkbox', class: 'ca-checkbox__input', id: 'ca-lm-consent', name: 'consent' });
    const $privacy = createElement('a', { href: config.privacyUrl, text: 'privacy notice' });

    $form.append(
      createElement('h3', { class: 'ca-panel__title', id: 'ca-lm-title', text: 'Leave a message for an adviser' }),
      createElement('p', { class: 'ca-panel__hint', text: (nextOpen ? 'Advisers are next available ' + nextOpen + '. ' : '') + 'An adviser will reply by phone or email when we are open.' }),
      $summary,
      renderField({ id: 'ca-lm-name', label: 'Your name', control: createElement('input', { type: 'text', name: 'name', autocomplete: 'name', class: 'ca-text-input' }) }),
      createElement('p', { class: 'ca-panel__hint', id: 'ca-lm-contact-hint', text: 'Give a phone number, an email address or both.' }),
      renderField({ id: 'ca-lm-phone', label: 'Phone number (optional if you give an email)', control: createElement('input', { type: 'tel', name: 'phone', autocomplete: 'tel', class: 'ca-text-input' }) }),
      renderField({ id: 'ca-lm-email', label: 'Email address (optional if you give a phone number)', control: createElement('input', { type: 'email', name: 'email', autocomplete: 'email', spellcheck: 'false', class: 'ca-text-input' }) }),
      renderField({ id: 'ca-lm-message', label: 'Your message for the adviser', hint: 'Up to ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters.', control: createElement('textarea', { name: 'message', rows: '4', class: 'ca-text-input' }) }),
      createElement('div', { class: 'ca-field', id: 'ca-lm-consent-group' }, [
        createElement('p', { class: 'ca-error-message', id: 'ca-lm-consent-error', hidden: true }),
        createElement('div', { class: 'ca-checkbox' }, [
          $consent,
          createElement('label', { class: 'ca-checkbox__label', for: 'ca-lm-consent', text: consentText }),
        ]),
        createElement('p', { class: 'ca-hint' }, ['Read our ', $privacy, ' to find out how we use your details.']),
      ])
    );
    const $submit = createElement('button', { type: 'submit', class: 'ca-button', text: 'Send message' });
    const $dismiss = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'No thanks' });
    $dismiss.addEventListener('click', handleLeaveMessageDismiss);
    $form.append(createElement('div', { class: 'ca-form__actions' }, [$submit, $dismiss]));
    $form.addEventListener('submit', handleLeaveMessageSubmit);
    updatePanel($form);
  }

  /**
   * Tells whether a phone number is a UK number the council can call back, by the gateway's rule:
   * +44 or 0044 becomes 0, then geographic, 03, mobile, 080 and 084 numbers pass.
   * @param {string} value
   * @returns {boolean}
   */
  function isUkPhone(value) {
    let digits = value.trim().replace(/[\s\-().]/g, '');
    let international = false;
    if (digits.startsWith('+44')) {
      digits = digits.slice(3);
      international = true;
    } else if (digits.startsWith('0044')) {
      digits = digits.slice(4);
      international = true;
    }
    if (international && !digits.startsWith('0')) {
      digits = '0' + digits;
    }
    return UK_PHONE_PATTERN.test(digits);
  }

  /**
   * Checks the out-of-hours form and returns the errors by field id.
   * @param {{name: string, phone: string, email: string, message: string, consent: boolean}} values
   * @returns {{id: string, message: string}[]}
   */
  function validateLeaveMessage(values) {
    const errors = [];
    if (!values.name) {
      errors.push({ id: 'ca-lm-name', message: 'Enter your name' });
    } else if (countCharacters(values.name) > MAX_NAME_LENGTH) {
      errors.push({ id: 'ca-lm-name', message: 'Name must be ' + MAX_NAME_LENGTH + ' characters or fewer' });
    }
    if (!values.phone && !values.email) {
      errors.push({ id: 'ca-lm-phone', message: 'Enter a phone number or an email address' });
    }
    if (values.phone && !isUkPhone(values.phone)) {
      errors.push({ id: 'ca-lm-phone', message: 'Enter a UK phone number, like 01743 123456 or 07700 900123' });
    }
    if (values.email && (values.email.length > 254 || !EMAIL_PATTERN.test(values.email))) {
      errors.push({ id: 'ca-lm-email', message: 'Enter an email address in the correct format, like name@example.com' });
    }
    if (!values.message) {
      errors.push({ id: 'ca-lm-message', message: 'Enter your message' });
    } else if (countCharacters(values.message) > MAX_MESSAGE_LENGTH) {
      errors.push({ id: 'ca-lm-message', message: 'Message must be ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters or fewer' });
    }
    if (!values.consent) {
      errors.push({ id: 'ca-lm-consent', message: 'Tick the box to agree that we can keep your details and contact you' });
    }
    return errors;
  }

  /**
   * Shows errors in a summary at the top of a form (focused, as GOV.UK forms do) and next to
   * each field.
   * @param {HTMLFormElement} $form
   * @param {HTMLElement} $summary
   * @param {{id: string, message: string}[]} errors
   */
  function updateFormErrors($form, $summary, errors) {
    $form.querySelectorAll('.ca-error-message').forEach(function ($error) {
      $error.hidden = true;
      $error.textContent = '';
    });
    $form.querySelectorAll('[aria-invalid]').forEach(function ($control) {
      $control.removeAttribute('aria-invalid');
      const describedBy = ($control.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
        return id && !id.endsWith('-error');
      });
      if (describedBy.length > 0) {
        $control.setAttribute('aria-describedby', describedBy.join(' '));
      } else {
        $control.removeAttribute('aria-describedby');
      }
    });
    $form.querySelectorAll('.ca-field--error').forEach(function ($group) {
      $group.classList.remove('ca-field--error');
    });
    $summary.textContent = '';
    if (errors.length === 0) {
      $summary.hidden = true;
      return;
    }

    const $list = createElement('ul', { class: 'ca-error-summary__list' });
    errors.forEach(function (error) {
      const $control = $form.querySelector('#' + error.id);
      const $error = $form.querySelector('#' + error.id + '-error');
      $error.hidden = false;
      $error.append(createElement('span', { class: 'ca-visually-hidden', text: 'Error: ' }), error.message);
      $control.setAttribute('aria-invalid', 'true');
      $control.setAttribute('aria-describedby', [error.id + '-error'].concat(($control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)).join(' '));
      $form.querySelector('#' + error.id + '-group').classList.add('ca-field--error');
      const $link = createElement('a', { href: '#' + error.id, text: error.message });
      $link.addEventListener('click', function (event) {
        event.preventDefault();
        $control.focus();
      });
      $list.append(createElement('li', {}, [$link]));
    });
    $summary.append(createElement('h4', { class: 'ca-error-summary__title', text: 'There is a problem' }), $list);
    $summary.hidden = false;
    $summary.focus();
  }

  /**
   * Handles the out-of-hours form: checks it, then sends leave_message.
   * @param {SubmitEvent} event
   */
  function handleLeaveMessageSubmit(event) {
    event.preventDefault();
    const $form = event.currentTarget;
    const values = {
      name: $form.elements.name.value.trim(),
      phone: $form.elements.phone.value.trim(),
      email: $form.elements.email.value.trim(),
      message: $form.elements.message.value.trim(),
      consent: $form.elements.consent.checked,
    };
    if ($form.getAttribute('data-pending') === 'true') {
      return;
    }
    const errors = validateLeaveMessage(values);
    const $summary = $form.querySelector('#ca-lm-summary');
    updateFormErrors($form, $summary, errors);
    if (errors.length > 0) {
      return;
    }

    const payload = { name: values.name, message: values.message, consent: true };
    if (values.phone) {
      payload.phone = values.phone;
    }
    if (values.email) {
      payload.email = values.email;
    }
    if (!sendEvent('leave_message', payload)) {
      updateFormErrors($form, $summary, [{ id: 'ca-lm-message', message: 'You are not connected, so your message was not sent. Try again when the chat has reconnected' }]);
      return;
    }
    // The gateway replies with a system message and handoff_state "bot", which closes this
    // form, or with an error event naming the field, which showFieldError puts back here.
    $form.setAttribute('data-pending', 'true');
  }

  /**
   * Handles "No thanks" on the out-of-hours form.
   */
  function handleLeaveMessageDismiss() {
    updatePanel(null);
    renderNote('You chose not to leave a message. You can keep asking the automated assistant questions.');
  }

  /**
   * Shows the feedback form after an adviser has closed the chat.
   */
  function renderFeedbackForm() {
    const $form = createElement('form', { class: 'ca-form ca-feedback', novalidate: true, 'aria-label': 'Feedback' });
    const $summary = createElement('div', { class: 'ca-error-summary', id: 'ca-fb-summary', tabindex: '-1', hidden: true });
    const $yes = createElement('input', { type: 'radio', class: 'ca-radio__input', id: 'ca-fb-rating', name: 'rating', value: 'up' });
    const $no = createElement('input', { type: 'radio', class: 'ca-radio__input', id: 'ca-fb-rating-no', name: 'rating', value: 'down' });
    const $comment = createElement('textarea', { name: 'comment', rows: '3', class: 'ca-text-input' });
    const $fieldset = createElement('fieldset', { class: 'ca-fieldset ca-field', id: 'ca-fb-rating-group' }, [
      createElement('legend', { class: 'ca-panel__title', text: 'Did this chat help you?' }),
      createElement('p', { class: 'ca-error-message', id: 'ca-fb-rating-error', hidden: true }),
      createElement('div', { class: 'ca-radios' }, [
        createElement('div', { class: 'ca-radio' }, [$yes, createElement('label', { class: 'ca-radio__label', for: 'ca-fb-rating', text: 'Yes' })]),
        createElement('div', { class: 'ca-radio' }, [$no, createElement('label', { class: 'ca-radio__label', for: 'ca-fb-rating-no', text: 'No' })]),
      ]),
    ]);
    const $submit = createElement('button', { type: 'submit', class: 'ca-button', text: 'Send feedback' });
    const $skip = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'Skip' });
    $skip.addEventListener('click', handleFeedbackSkip);
    $form.append(
      $summary,
      $fieldset,
      renderField({ id: 'ca-fb-comment', label: 'Tell us more (optional)', hint: 'Up to ' + formatNumber(MAX_COMMENT_LENGTH) + ' characters. Do not include personal details.', control: $comment }),
      createElement('div', { class: 'ca-form__actions' }, [$submit, $skip])
    );
    $form.addEventListener('submit', handleFeedbackSubmit);

    updatePanel($form);
  }

  /**
   * Handles the feedback form: checks a rating is chosen, then sends feedback.
   * @param {SubmitEvent} event
   */
  function handleFeedbackSubmit(event) {
    event.preventDefault();
    const $form = event.currentTarget;
    const $checked = $form.querySelector('input[name="rating"]:checked');
    const comment = $form.elements.comment.value.trim();
    const errors = [];
    if (!$checked) {
      errors.push({ id: 'ca-fb-rating', message: 'Select yes or no' });
    }
    if (countCharacters(comment) > MAX_COMMENT_LENGTH) {
      errors.push({ id: 'ca-fb-comment', message: 'Your comment must be ' + formatNumber(MAX_COMMENT_LENGTH) + ' characters or fewer' });
    }
    updateFormErrors($form, $form.querySelector('#ca-fb-summary'), errors);
    if (errors.length > 0) {
      return;
    }
    const payload = { rating: $checked.value };
    if (comment) {
      payload.comment = comment;
    }
    if (!sendEvent('feedback', payload)) {
      updateFormErrors($form, $form.querySelector('#ca-fb-summary'), [{ id: 'ca-fb-comment', message: 'You are not connected, so your feedback was not sent. Try again when the chat has reconnected' }]);
      return;
    }
    // The gateway thanks the resident with a system message.
    updatePanel(null);
  }

  /**
   * Handles "Skip" on the feedback form.
   */
  function handleFeedbackSkip() {
    updatePanel(null);
  }

  // ---------------------------------------------------------------------------
  // Transcript: download and print
  // ---------------------------------------------------------------------------

  /**
   * Adds an entry to the in-memory transcript used for download and print.
   * @param {{sender: string, text: string, time: Date|null, links: {title: string, url: string}[]}} entry
   */
  function addToTranscript(entry) {
    state.transcript.push(entry);
  }

  /**
   * Builds the transcript as plain text.
   * @returns {string}
   */
  function buildTranscriptText() {
    const now = new Date();
    const lines = [
      config.councilName + ' chat transcript',
      'Saved on ' + now.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }) + ' at ' + formatClock(now),
      '',
    ];
    state.transcript.forEach(function (entry) {
      lines.push((entry.time ? formatClock(entry.time) + ' ' : '') + entry.sender + ':');
      if (entry.text) {
        lines.push(entry.text);
      }
      entry.links.forEach(function (link) {
        lines.push('Link: ' + link.title + ' - ' + link.url);
      });
      lines.push('');
    });
    return lines.join('\n');
  }

  /**
   * Handles "Download transcript": saves the transcript as a .txt file.
   */
  function handleDownloadClick() {
    const blob = new Blob([buildTranscriptText()], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const slug = config.councilName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'council';
    const day = new Date().toISOString().slice(0, 10);
    const $link = createElement('a', { href: url, download: slug + '-chat-' + day + '.txt', hidden: true });
    document.body.append($link);
    $link.click();
    $link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  /**
   * Handles "Print transcript": prints only the transcript, through widget.css's print rules.
   */
  function handlePrintClick() {
    dom.$printArea.textContent = '';
    dom.$printArea.append(createElement('pre', { class: 'ca-print-area__text', text: buildTranscriptText() }));
    document.documentElement.classList.add('ca-printing');
    window.addEventListener('afterprint', function () {
      document.documentElement.classList.remove('ca-printing');
    }, { once: true });
    window.print();
  }

  // ---------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------

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

  window.CouncilAssistant = {
    open: function () { openWidget(); },
    close: function () { closeWidget(); },
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
