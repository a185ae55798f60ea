// Lights-Out's Welcome: Camunda's webapp configuration (this file replaces the webjar's own config.js).
// The title and brand read "Lights-Out Welcome"; styles/user-styles.css carries the colours.
export default {
  app: {
    name: 'Welcome',
    vendor: 'Lights-Out',
  },
};
