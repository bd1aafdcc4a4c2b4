export default defineBackground(() => {
  // Wiring lands with the background monitor (lib/monitor).
});
