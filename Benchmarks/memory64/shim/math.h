/* Our freestanding math.h for the memory64 benchmark (see shim.c). */
#ifndef SHIM_MATH_H
#define SHIM_MATH_H

double sqrt(double x); /* f64.sqrt */

#endif
