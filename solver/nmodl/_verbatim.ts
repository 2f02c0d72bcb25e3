/**
 * VERBATIM blocks: C code that NEURON pastes into the generated file. simrun runs no C, so a
 * VERBATIM block is accepted only when it holds nothing but comments, or when it is one of the
 * exact pieces of ISF's stochastic synapses (`ProbAMPANMDA2.mod`, `ProbUDFsyn2.mod`) that hand a
 * NEURON `Random` object to the mechanism; those are replaced by the instance's random stream.
 *
 * @module
 */

/** The C text without comments and whitespace. */
export function normalizeC(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "")
    .replace(/\s+/g, "");
}

/** True when the block holds only comments and whitespace. */
export function isCommentOnly(text: string): boolean {
  return normalizeC(text) === "";
}

/** ISF's top-level declarations of the Random-object interface (no code). */
export const ISF_RANDOM_DECLARATIONS =
  "#include<stdlib.h>#include<stdio.h>#include<math.h>doublenrn_random_pick(void*r);" +
  "void*nrn_random_arg(intargpos);";

/** Body of ISF's `PROCEDURE setRNG()`: stores the Random object passed from hoc. */
export const ISF_SET_RNG =
  "{void**pv=(void**)(&_p_rng);if(ifarg(1)){*pv=nrn_random_arg(1);}else{*pv=(void*)0;}}";

/** First half of ISF's `FUNCTION erand()`: the Random object's next value when one is set. */
export const ISF_ERAND_HEAD =
  "doublevalue;if(_p_rng){value=nrn_random_pick(_p_rng);returnvalue;}else{";

/** Second half of ISF's `FUNCTION erand()`. */
export const ISF_ERAND_TAIL = "}";
