// Lights-Out's Cockpit: Camunda's webapp configuration (this file replaces the webjar's own config.js).
// The title and brand read "Lights-Out Cockpit"; styles/user-styles.css carries the colours.
export default {
  app: {
    name: 'Cockpit',
    vendor: 'Lights-Out',
  },
  // the Lights-Out plugins: the Fleet dashboard and the Power request tab (scripts/lightsout/)
  customScripts: ['scripts/lightsout/fleet-dashboard', 'scripts/lightsout/power-request-tab'],
};
