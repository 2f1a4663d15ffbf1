// Starts the rasa-webchat widget with the visitor's locale and time zone as metadata.
(function () {
  "use strict";
  var TEXTS = {
    el: { subtitle: "Εξυπηρέτηση πελατών", hint: "Γράψτε το μήνυμά σας…", connecting: "Σύνδεση με την υποστήριξη…" },
    ru: { subtitle: "Служба поддержки", hint: "Напишите Ваше сообщение…", connecting: "Подключаемся к службе поддержки…" },
    lt: { subtitle: "Klientų aptarnavimas", hint: "Parašykite savo žinutę…", connecting: "Jungiamasi prie pagalbos tarnybos…" },
    en: { subtitle: "Customer support", hint: "Type your message…", connecting: "Connecting to support…" }
  };
  var locale = navigator.language || "";
  var timezone = "";
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    timezone = "";
  }
  var texts = TEXTS[locale.slice(0, 2).toLowerCase()] || TEXTS.en;
  window.WebChat.default({
    socketUrl: document.body.getAttribute("data-socket-url"),
    socketPath: "/socket.io/",
    customData: { locale: locale, timezone: timezone },
    title: "Rapport",
    subtitle: texts.subtitle,
    inputTextFieldHint: texts.hint,
    connectingText: texts.connecting,
    withRules: false,
    params: { storage: "local" }
  }, null);
})();
