/**
 * Who is in which chat room: sessions fill rooms of `roomSize` in the
 * order they join. A message said in a room is fanned out by the gateways
 * to the room's other members.
 */
export class ChatRooms {
  private readonly rooms: string[][] = [];
  private readonly roomOf = new Map<string, number>();

  /** @param roomSize members per room (>= 1) */
  constructor(private readonly roomSize: number) {}

  /** Puts a session in the newest room with space; returns the room's name. */
  join(sessionId: string): string {
    let index = this.rooms.length - 1;
    if (index < 0 || this.rooms[index]!.length >= this.roomSize) {
      this.rooms.push([]);
      index = this.rooms.length - 1;
    }
    this.rooms[index]!.push(sessionId);
    this.roomOf.set(sessionId, index);
    return roomName(index);
  }

  /** The other members of the session's room (empty for an unknown session). */
  othersOf(sessionId: string): string[] {
    const index = this.roomOf.get(sessionId);
    if (index === undefined) return [];
    return this.rooms[index]!.filter((member) => member !== sessionId);
  }

  /** Number of rooms. */
  get size(): number {
    return this.rooms.length;
  }
}

function roomName(index: number): string {
  return `room-${index + 1}`;
}
