/** @resode/autograd: public surface (filled by its issue). */
export {};
