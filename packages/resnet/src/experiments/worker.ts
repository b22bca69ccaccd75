/** A worker-pool task: run one point of one experiment (see pool.ts). */
import { experimentByName } from './registry.js';
import type { Point, Row } from './types.js';

export interface Task {
  experiment: string;
  point: Point;
}

export default function runTask(task: Task): Row[] {
  return experimentByName(task.experiment).run(task.point);
}
