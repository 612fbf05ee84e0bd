// The studies `mm1 ablate` knows, in the order MM1 presents them.
import type { Study } from '../study.js';
import { connectorStudy } from './connector.js';
import { encoderStudy } from './encoder.js';
import { highresMixedresStudy, highresStudy } from './highres.js';
import { mixtureStudy } from './mixture.js';
import { seedsStudy } from './seeds.js';
import { sftConnectorStudy } from './sft_connector.js';
import { sftMixtureStudy } from './sft_mixture.js';

/** MM1's four ablations (highres also with MM1's mixed-resolution few-shot), its two SFT-transfer findings, then the seed-noise measurement that reading them at one seed needs. */
export const STUDIES: readonly Study[] = [
  encoderStudy,
  connectorStudy,
  mixtureStudy,
  highresStudy,
  highresMixedresStudy,
  sftConnectorStudy,
  sftMixtureStudy,
  seedsStudy,
];

export function findStudy(name: string): Study {
  const study = STUDIES.find((s) => s.name === name);
  if (!study) throw new Error(`unknown study '${name}'; choose one of: ${STUDIES.map((s) => s.name).join(', ')} (mm1 ablate --list describes them)`);
  return study;
}
