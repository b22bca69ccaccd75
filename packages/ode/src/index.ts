/**
 * @resode/ode: explicit and implicit ODE solvers and SDE solvers, differentiable by construction
 * (autograd records every step). This file is the whole public surface.
 */
export * from './tableaux/index.js';
export * from './sde/index.js';
