/** Things chat users say; short, so payloads look like chat. */
const PHRASES = [
  'on my way',
  'anyone up for lunch?',
  'the build is green again',
  'can you review my PR when you get a sec',
  'lol',
  'entering a tunnel, brb',
  'deploy looks good from here',
  'who broke staging?',
  'meeting moved to 3pm',
  'thanks!',
];

/** Something a chat user might say. */
export function randomPhrase(): string {
  return PHRASES[Math.floor(Math.random() * PHRASES.length)]!;
}
