/**
 * The charts' size in CSS pixels and the PNG's pixels per CSS pixel. Drawn 520 wide and shown 552 wide
 * in the e-mail's 600px column, so text is a little larger than drawn there, and still ~10px on a phone.
 */
export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 300;
/** Drawn at 2x so the PNG stays sharp on phones and retina screens. */
export const CHART_SCALE = 2;
