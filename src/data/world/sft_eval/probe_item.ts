// A yes/no question about one world picture (POPE-style probes and MME-style pairs). The
// picture's id ties together the questions asked about it (MME's accuracy+ needs that).
import type { RgbImage } from '../../document.js';
import type { Scene } from '../scene.js';

export interface YesNoItem {
  id: string;
  /** Shared by every question about the same picture. */
  pictureId: string;
  image: RgbImage;
  scene: Scene;
  question: string;
  answer: 'yes' | 'no';
  /** What the question probes: the object kind (POPE) or the MME subtask. */
  about: string;
}
