// Lights-Out's Admin: Camunda's webapp configuration (this file replaces the webjar's own config.js).
// The title and brand read "Lights-Out Admin"; styles/user-styles.css carries the colours.
export default {
  app: {
    name: 'Admin',
    vendor: 'Lights-Out',
  },
};
