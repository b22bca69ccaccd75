/** @resode/resnet: public surface (filled by its issue). */
export {};
