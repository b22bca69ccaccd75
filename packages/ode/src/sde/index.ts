/** SDE solvers: filled by the SDE work. */
export {};
