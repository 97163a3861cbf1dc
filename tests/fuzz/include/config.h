/* config.h for the fuzzing build: the portable backend only (no SIMD
 * backends, no FFTW threads), independent of ./configure. */
