/** @resode/adjoint: public surface (filled by its issue). */
export {};
