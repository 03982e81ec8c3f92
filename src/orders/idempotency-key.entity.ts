import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Remembers which order an `Idempotency-Key` produced, per user, with a hash of the request body
 * so that a retry with another body is refused instead of answered with the wrong order.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
