// Lights-Out's Tasklist: Camunda's webapp configuration (this file replaces the webjar's own config.js).
// The title and brand read "Lights-Out Tasklist"; styles/user-styles.css carries the colours.
export default {
  app: {
    name: 'Tasklist',
    vendor: 'Lights-Out',
  },
};
