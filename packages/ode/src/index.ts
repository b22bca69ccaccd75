/** @resode/ode: public surface (filled by its issue). */
export {};
