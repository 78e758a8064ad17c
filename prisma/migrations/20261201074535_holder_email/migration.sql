-- AlterTable
ALTER TABLE "Gp" ADD COLUMN     "email" TEXT;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "email" TEXT;
