/** The charts' size in CSS pixels (the e-mail's 600px column) and the PNG's pixels per CSS pixel. */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 320;
/** Drawn at 2x so the PNG stays sharp on phones and retina screens. */
export const CHART_SCALE = 2;
